package org.callrouter.server.sipua;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * A carrier (the call's origin, UAC) for integration tests: a {@link SipUa} that places calls
 * with {@link #call} and hands back a {@link CarrierCall} to drive and observe each one.
 *
 * <p>It rejects INVITEs sent to it (403) and answers in-dialog requests as every {@link SipUa}
 * does.
 */
public final class Carrier implements AutoCloseable {
    private static final AtomicInteger CALLERS = new AtomicInteger();

    private final SipUa ua;

    private Carrier(String name, int port, EnumSet<SipUa.Transport> transports, TlsIdentity tls) {
        ua = new SipUa(name, port, transports, tls, (agent, event, transaction, request) -> false);
    }

    /** A carrier on {@code port} listening on TLS only, presenting and trusting {@code tls}. */
    public static Carrier openTls(String name, int port, TlsIdentity tls) {
        return new Carrier(name, port, EnumSet.of(SipUa.Transport.TLS), tls);
    }

    /** A UDP carrier named {@code carrier} on {@code port} (0: an ephemeral port). */
    public static Carrier open(int port) {
        return open("carrier", port, SipUa.Transport.UDP);
    }

    /**
     * A carrier on {@code port} (0: an ephemeral port) for the given transports.
     *
     * @param name names its stack, for logs
     */
    public static Carrier open(String name, int port, SipUa.Transport first, SipUa.Transport... more) {
        return new Carrier(name, port, EnumSet.of(first, more), null);
    }

    /** The port it listens on (and sends from). */
    public int port() {
        return ua.port();
    }

    /** The user agent underneath, for its name, transports, everything received and errors. */
    public SipUa ua() {
        return ua;
    }

    /** What went wrong inside the carrier (see {@link SipUa#errors()}). */
    public List<String> errors() {
        return ua.errors();
    }

    /** A caller number of the form {@code +1415555xxxx}, a new one for each call. */
    public static String nextCallerNumber() {
        return String.format("+1415555%04d", CALLERS.incrementAndGet() % 10_000);
    }

    /** Calls {@code dialedNumber} at {@code targetHostPort} over UDP from {@link #nextCallerNumber()}. */
    public CarrierCall call(String targetHostPort, String dialedNumber) {
        return call(targetHostPort, dialedNumber, nextCallerNumber(), Map.of());
    }

    /** Calls over UDP; see {@link #call(SipUa.Transport, String, String, String, Map)}. */
    public CarrierCall call(String targetHostPort, String dialedNumber, String callerNumber,
                            Map<String, String> extraHeaders) {
        return call(SipUa.Transport.UDP, targetHostPort, dialedNumber, callerNumber, extraHeaders);
    }

    /**
     * Sends an INVITE with an SDP offer for {@code sip:dialedNumber@targetHostPort} from
     * {@code sip:callerNumber@127.0.0.1}.
     *
     * @param transport      UDP, TCP or TLS (this carrier must listen on it); TCP adds
     *                       {@code transport=tcp} to the Request-URI, TLS makes it {@code sips:}
     * @param targetHostPort where to send it, {@code host:port}
     * @param extraHeaders   header fields to set, each replacing a field of the same name
     *                       ({@code Max-Forwards: 0}, {@code Require: foo}, …)
     * @throws AssertionError when the INVITE cannot be built or sent
     */
    public CarrierCall call(SipUa.Transport transport, String targetHostPort, String dialedNumber,
                            String callerNumber, Map<String, String> extraHeaders) {
        return call(transport, targetHostPort, dialedNumber, callerNumber, extraHeaders, ua.sdp());
    }

    /** As {@link #call(SipUa.Transport, String, String, String, Map)}, offering {@code sdp}. */
    public CarrierCall call(SipUa.Transport transport, String targetHostPort, String dialedNumber,
                            String callerNumber, Map<String, String> extraHeaders, String sdp) {
        if (!ua.transports().contains(transport)) {
            throw new IllegalArgumentException(ua.name() + " does not listen on " + transport);
        }
        try {
            Request invite = invite(transport, targetHostPort, dialedNumber, callerNumber, extraHeaders, sdp);
            ClientTransaction transaction = ua.provider().getNewClientTransaction(invite);
            transaction.sendRequest();
            return new CarrierCall(ua, transaction, dialedNumber, callerNumber);
        } catch (Exception e) {
            throw new AssertionError(ua.name() + " could not call " + dialedNumber + " at " + targetHostPort, e);
        }
    }

    private Request invite(SipUa.Transport transport, String targetHostPort, String dialedNumber,
                           String callerNumber, Map<String, String> extraHeaders, String sdp) throws Exception {
        HeaderFactory headers = ua.headerFactory();
        int colon = targetHostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("target must be host:port, not " + targetHostPort);
        }
        SipURI target = ua.addressFactory().createSipURI(dialedNumber, targetHostPort.substring(0, colon));
        target.setPort(Integer.parseInt(targetHostPort.substring(colon + 1)));
        if (transport == SipUa.Transport.TCP) {
            target.setTransportParam(transport.param());
        } else if (transport == SipUa.Transport.TLS) {
            target.setSecure(true);
        }
        SipURI caller = ua.addressFactory().createSipURI(callerNumber, Ports.LOOPBACK.getHostAddress());
        Address from = ua.addressFactory().createAddress(caller);
        Address to = ua.addressFactory().createAddress((SipURI) target.clone());
        ((SipURI) to.getURI()).removeParameter("transport");
        CallIdHeader callId = ua.provider().getNewCallId();
        CSeqHeader cseq = headers.createCSeqHeader(1L, Request.INVITE);
        FromHeader fromHeader = headers.createFromHeader(from, SipUa.newTag());
        ToHeader toHeader = headers.createToHeader(to, null);
        ViaHeader via = headers.createViaHeader(Ports.LOOPBACK.getHostAddress(), ua.port(), transport.param(), null);
        MaxForwardsHeader maxForwards = headers.createMaxForwardsHeader(70);
        Request invite = ua.messageFactory().createRequest(target, Request.INVITE, callId, cseq, fromHeader,
                toHeader, List.of(via), maxForwards, ua.contentType("application/sdp"), sdp);
        invite.setHeader(ua.contact(callerNumber, transport));
        for (Map.Entry<String, String> extra : extraHeaders.entrySet()) {
            invite.setHeader(headers.createHeader(extra.getKey(), extra.getValue()));
        }
        return invite;
    }

    /** Stops the user agent. */
    @Override
    public void close() {
        ua.close();
    }
}
