package org.callrouter.sip.syntax;

import static org.callrouter.sip.syntax.SipLexer.error;

/**
 * Validates one {@code via-parm} (RFC 3261 20.42, 25.1; rport from RFC 3581) and records where
 * its parts are:
 * {@code sent-protocol LWS sent-by *( SEMI via-params )} with
 * {@code sent-protocol = protocol-name SLASH protocol-version SLASH transport} and
 * {@code sent-by = host [ COLON port ]}.
 */
public final class ViaScanner {

    /** Start of the element (its protocol name). */
    public int start;
    /** End of the element (after its last parameter). */
    public int end;
    /** Range of the protocol name ("SIP"). */
    public int protocolStart;
    /** End of the protocol name. */
    public int protocolEnd;
    /** Range of the protocol version ("2.0"). */
    public int versionStart;
    /** End of the protocol version. */
    public int versionEnd;
    /** Range of the transport ("UDP", "TCP", ...). */
    public int transportStart;
    /** End of the transport. */
    public int transportEnd;
    /** Range of the sent-by host. */
    public int hostStart;
    /** End of the sent-by host. */
    public int hostEnd;
    /** The sent-by port, or -1. */
    public int port;
    /** Where the parameters start. */
    public int paramsStart;
    /** Range of the branch value, or -1. */
    public int branchStart;
    /** End of the branch value. */
    public int branchEnd;
    /** Range of the received value, or -1. */
    public int receivedStart;
    /** End of the received value. */
    public int receivedEnd;
    /** Whether an rport parameter is present (RFC 3581). */
    public boolean rport;
    /** The rport value, or -1 when rport has none. */
    public int rportValue;
    private final ParamScanner param = new ParamScanner();

    /**
     * Scans the via-parm at {@code p}.
     *
     * @return the position after it: {@code end}, or the comma before the next via-parm
     */
    public int scan(byte[] a, int p, int end) {
        branchStart = branchEnd = receivedStart = receivedEnd = port = rportValue = -1;
        rport = false;
        start = protocolStart = SipLexer.skipWs(a, p, end);
        protocolEnd = SipLexer.requireToken(a, protocolStart, end, "Via protocol");
        versionStart = SipLexer.skipWs(a, SipLexer.expect(a, protocolEnd, end, '/', "Via"), end);
        versionEnd = SipLexer.requireToken(a, versionStart, end, "Via version");
        transportStart = SipLexer.skipWs(a, SipLexer.expect(a, versionEnd, end, '/', "Via"), end);
        transportEnd = SipLexer.requireToken(a, transportStart, end, "Via transport");
        hostStart = SipLexer.skipWs(a, transportEnd, end);
        if (hostStart == transportEnd) {
            throw error("Malformed Via sent-by");
        }
        hostEnd = SipLexer.host(a, hostStart, end);
        p = hostEnd;
        int q = SipLexer.skipWs(a, p, end);
        if (q < end && a[q] == ':') {
            int digitsStart = SipLexer.skipWs(a, q + 1, end);
            p = SipLexer.port(a, digitsStart, end);
            port = (int) SipLexer.parseDigits(a, digitsStart, p, 65535);
        }
        paramsStart = p;
        while (true) {
            q = param.next(a, p, end);
            if (q < 0) {
                break;
            }
            checkParam(a);
            p = q;
        }
        this.end = p;
        p = SipLexer.skipWs(a, p, end);
        if (p < end && a[p] != ',') {
            throw error("Malformed Via");
        }
        return p;
    }

    /** Scans every via-parm of the comma-separated list in [start, end). */
    public void scanAll(byte[] a, int start, int end) {
        int p = scan(a, start, end);
        while (p < end) {
            p = scan(a, p + 1, end);
        }
    }

    private void checkParam(byte[] a) {
        if (param.nameIs(a, "branch")) {
            param.requireTokenValue(a, "Via", "branch");
            branchStart = param.valueStart;
            branchEnd = param.valueEnd;
        } else if (param.nameIs(a, "received")) {
            int s = param.valueStart;
            int e = param.valueEnd;
            if (s < 0 || !(SipLexer.isIpv4(a, s, e) || SipLexer.isIpv6(a, s, e)
                    || e - s > 2 && a[s] == '[' && a[e - 1] == ']' && SipLexer.isIpv6(a, s + 1, e - 1))) {
                throw error("Malformed Via received");
            }
            receivedStart = s;
            receivedEnd = e;
        } else if (param.nameIs(a, "rport")) {
            rport = true;
            if (param.hasValue()) {
                rportValue = (int) param.numberValue(a, 65535, "Via rport");
            }
        } else if (param.nameIs(a, "ttl")) {
            param.numberValue(a, 255, "Via ttl");
        } else if (param.nameIs(a, "maddr")) {
            if (!param.hasValue() || SipLexer.host(a, param.valueStart, param.valueEnd) != param.valueEnd) {
                throw error("Malformed Via maddr");
            }
        }
    }
}
