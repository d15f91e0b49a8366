package org.callrouter.sip.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.syntax.ViaScanner;
import org.callrouter.sip.uri.Parameters;

/**
 * One Via value (a via-parm, RFC 3261 20.42): the transport and sent-by of a hop, its branch
 * (RFC 3261 8.1.1.7), and the received and rport parameters a server adds (RFC 3261 18.2.1,
 * RFC 3581). {@link #toString()} gives the value exactly as written.
 */
public final class Via extends HeaderValue {

    /** The branch prefix of RFC 3261 transactions (RFC 3261 8.1.1.7). */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    private static final String SIP_2_0 = "SIP/2.0";
    private static final String[] TRANSPORTS = {"UDP", "TCP", "TLS", "SCTP", "WS", "WSS"};
    private static final String[] TRANSPORTS_LOWER = {"udp", "tcp", "tls", "sctp", "ws", "wss"};

    private final String protocol;
    private final String transport;
    private final String host;
    private final int port;
    private final boolean rport;
    private final int rportValue;

    private Via(String text, byte[] a, ViaScanner s) {
        super(text, Parameters.ofHeader(a, s.paramsStart, s.end));
        protocol = SipLexer.equalsIgnoreCase(a, s.protocolStart, s.protocolEnd, "sip")
                && SipLexer.equalsIgnoreCase(a, s.versionStart, s.versionEnd, "2.0") ? SIP_2_0
                : SipLexer.ascii(a, s.protocolStart, s.protocolEnd) + '/' + SipLexer.ascii(a, s.versionStart, s.versionEnd);
        transport = transport(a, s.transportStart, s.transportEnd);
        host = SipLexer.ascii(a, s.hostStart, s.hostEnd);
        port = s.port;
        rport = s.rport;
        rportValue = s.rportValue;
    }

    /** The transport in upper case; the common ones without allocating. */
    private static String transport(byte[] a, int start, int end) {
        for (int i = 0; i < TRANSPORTS.length; i++) {
            if (SipLexer.equalsIgnoreCase(a, start, end, TRANSPORTS_LOWER[i])) {
                return TRANSPORTS[i];
            }
        }
        return SipLexer.ascii(a, start, end).toUpperCase(Locale.ROOT);
    }

    /**
     * Parses one via-parm.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static Via parse(CharSequence value) {
        byte[] a = SipLexer.bytes(value);
        List<Via> out = new ArrayList<>(1);
        parseList(a, 0, a.length, out);
        if (out.size() != 1) {
            throw SipLexer.error("Malformed Via");
        }
        return out.get(0);
    }

    /**
     * Parses the comma-separated via-parms of one Via header value in [start, end) and adds
     * them to {@code out}.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static void parseList(byte[] a, int start, int end, List<Via> out) {
        ViaScanner scanner = new ViaScanner();
        int p = start;
        while (true) {
            p = scanner.scan(a, p, end);
            out.add(new Via(SipLexer.unfold(a, scanner.start, scanner.end), a, scanner));
            if (p >= end) {
                return;
            }
            p++;
        }
    }

    /** The first via-parm of the Via header value in [start, end). */
    public static Via parseFirst(byte[] a, int start, int end) {
        ViaScanner scanner = new ViaScanner();
        scanner.scan(a, start, end);
        return new Via(SipLexer.unfold(a, scanner.start, scanner.end), a, scanner);
    }

    /** The sent-protocol name and version, e.g. "SIP/2.0". */
    public String protocol() {
        return protocol;
    }

    /** The transport in upper case: "UDP", "TCP", "TLS", "SCTP", "WS", ... */
    public String transport() {
        return transport;
    }

    /** The sent-by host as written (IPv6 references with brackets). */
    public String host() {
        return host;
    }

    /** The sent-by port, or -1 when absent. */
    public int port() {
        return port;
    }

    /** The branch parameter, or null. */
    public String branch() {
        return param("branch");
    }

    /** Whether the branch starts with the RFC 3261 magic cookie "z9hG4bK" (RFC 3261 17.2.3). */
    public boolean hasRfc3261Branch() {
        String branch = branch();
        return branch != null && branch.startsWith(MAGIC_COOKIE);
    }

    /** The received parameter, or null. */
    public String received() {
        return param("received");
    }

    /** Whether the rport parameter is present, with or without a value (RFC 3581 4). */
    public boolean hasRport() {
        return rport;
    }

    /** The rport value, or -1 when rport is absent or has no value. */
    public int rport() {
        return rportValue;
    }
}
