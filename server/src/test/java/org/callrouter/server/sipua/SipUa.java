package org.callrouter.server.sipua;

import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.ResponseEventExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.text.ParseException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real SIP user agent for integration tests: one jain-sip-ri {@code SipStack} on 127.0.0.1,
 * listening on one port for UDP and, when asked, TCP.
 *
 * <p>It records every request and response it receives, in arrival order, and does what any user
 * agent must: ACKs every 2xx to an INVITE it sent (RFC 3261 section 13.2.2.4; the transaction layer
 * ACKs the others), answers re-INVITEs with 200 and SDP, and BYE, INFO, UPDATE and OPTIONS with 200
 * (OPTIONS with {@code Allow}). What happens to a new INVITE and a CANCEL is the business of its
 * role: {@link Carrier} rejects calls, {@link Handler} follows its script.
 *
 * <p>Dialogs are kept by jain-sip (automatic dialog support): it tracks route sets, remote targets
 * and CSeq, retransmits 2xx until the ACK and re-sends the ACK on a retransmitted 2xx. Anything that
 * goes wrong inside the agent (an ACK it could not send, a transaction timeout) lands in
 * {@link #errors()} rather than only in a log.
 *
 * <p>{@link #close()} stops the stack and ends every thread it started, including the event
 * scanner that jain-sip itself leaves blocked after {@code stop()}.
 */
public final class SipUa implements AutoCloseable {
    /** The transports a user agent listens on. */
    public enum Transport {
        UDP, TCP,
        /** Needs a {@link TlsIdentity}; requests and Contacts use {@code sips:} URIs. */
        TLS;

        /** The value of a SIP URI's {@code transport} parameter (RFC 3261 section 19.1.1). */
        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Transport of(String viaTransport) {
            return valueOf(viaTransport.toUpperCase(Locale.ROOT));
        }
    }

    /** What a role does with a request before (or instead of) the common answers. */
    @FunctionalInterface
    interface Role {
        /**
         * @param ua          the agent that received it (passed in: a request can arrive before the
         *                    role's own constructor has stored its agent)
         * @param transaction the request's server transaction ({@code null} for ACK)
         * @return whether the role has answered the request itself
         */
        boolean onRequest(SipUa ua, RequestEvent event, ServerTransaction transaction, ReceivedRequest request)
                throws Exception;
    }

    /** Headers a role adds to one of its answers (a challenge's WWW-Authenticate, for example). */
    @FunctionalInterface
    interface ResponseHeaders {
        void add(Response response) throws ParseException;
    }

    /** A confirmed dialog and the transport it runs over. */
    private record Leg(Dialog dialog, Transport transport) {
    }

    /** The methods this agent accepts (RFC 3261 section 20.5). */
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE";

    private static final Logger LOG = LoggerFactory.getLogger(SipUa.class);
    private static final String HOST = Ports.LOOPBACK.getHostAddress();
    private static final AtomicInteger STACK_IDS = new AtomicInteger();

    private final String name;
    private final int port;
    private final Set<Transport> transports;
    private final Role role;
    private final AddressFactory addressFactory = new AddressFactoryImpl();
    private final HeaderFactory headerFactory = new HeaderFactoryImpl();
    private final MessageFactory messageFactory = new MessageFactoryImpl();
    private final Recorder<ReceivedRequest> requests = new Recorder<>("requests");
    private final Recorder<ReceivedResponse> responses = new Recorder<>("responses");
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Map<String, Leg> dialogs = new ConcurrentHashMap<>();
    private final AtomicLong sdpVersion = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Source of the event that wakes the stack's event scanner on close; see {@link #close()}. */
    private final Object wakeUp = new Object();
    private final SipStackImpl stack;
    private final EventScanner eventScanner;
    private final SipProvider provider;

    /**
     * Starts a user agent.
     *
     * @param name       names the stack and the contact user (for logs)
     * @param port       the port to listen on, or 0 for a free ephemeral one ({@link #port()} tells)
     * @param transports what to listen for on that port (at least one)
     * @param role       what to do with requests beyond the common answers
     * @throws IllegalStateException when the stack cannot start (the port is taken, for example)
     */
    SipUa(String name, int port, Set<Transport> transports, Role role) {
        this(name, port, transports, null, role);
    }

    /** As {@link #SipUa(String, int, Set, Role)}, with what a TLS listening point presents and trusts. */
    SipUa(String name, int port, Set<Transport> transports, TlsIdentity tls, Role role) {
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("a user agent needs at least one transport");
        }
        if (transports.contains(Transport.TLS) && tls == null) {
            throw new IllegalArgumentException("a TLS user agent needs a TlsIdentity");
        }
        this.name = name;
        this.port = port == 0 ? Ports.free() : port;
        this.transports = Set.copyOf(EnumSet.copyOf(transports));
        this.role = role;
        try {
            stack = new SipStackImpl(stackProperties(name + "-" + this.port + "-" + STACK_IDS.incrementAndGet(), tls));
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException("cannot create the SIP stack of " + name, e);
        }
        eventScanner = stack.getEventScanner();
        try {
            provider = listen();
            provider.addSipListener(new Events());
        } catch (Exception e) {
            stopStack();
            throw new IllegalStateException("cannot listen on " + HOST + ":" + this.port + " " + transports + " for " + name, e);
        }
        LOG.debug("{} listening on {}:{} {}", name, HOST, this.port, this.transports);
    }

    private static Properties stackProperties(String stackName, TlsIdentity tls) {
        Properties properties = new Properties();
        properties.setProperty("javax.sip.STACK_NAME", stackName);
        properties.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        properties.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        properties.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        // One UDP worker: datagrams reach the listener (and the recorders) in arrival order.
        properties.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        if (tls != null) {
            properties.setProperty("javax.net.ssl.keyStore", tls.keyStore().toString());
            properties.setProperty("javax.net.ssl.keyStorePassword", TestPki.STORE_PASSWORD);
            properties.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            properties.setProperty("javax.net.ssl.trustStore", tls.trustStore().toString());
            properties.setProperty("javax.net.ssl.trustStorePassword", TestPki.STORE_PASSWORD);
            properties.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            // The router is authenticated by its certificate; it need not present one to peers.
            properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            // jain-sip's defaults are RSA-only CBC suites up to TLS 1.2; the test keys are EC
            // and the router speaks TLS 1.2 and 1.3 with modern suites only.
            properties.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
            properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2");
        }
        return properties;
    }

    private SipProvider listen() throws Exception {
        SipProvider sipProvider = null;
        for (Transport transport : transports) {
            ListeningPoint point = stack.createListeningPoint(HOST, port, transport.param());
            if (sipProvider == null) {
                sipProvider = stack.createSipProvider(point);
            } else {
                sipProvider.addListeningPoint(point);
            }
        }
        return sipProvider;
    }

    /** The name given at start. */
    public String name() {
        return name;
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    public String hostPort() {
        return HOST + ":" + port;
    }

    /** The transports it listens for. */
    public Set<Transport> transports() {
        return transports;
    }

    /** Every request received so far (retransmissions absorbed by the transaction layer excluded). */
    public List<ReceivedRequest> requests() {
        return requests.snapshot();
    }

    /** Every response received so far, in arrival order. */
    public List<ReceivedResponse> responses() {
        return responses.snapshot();
    }

    /** What went wrong inside the agent: ACKs or answers it could not send, transaction timeouts. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    Recorder<ReceivedRequest> requestRecorder() {
        return requests;
    }

    Recorder<ReceivedResponse> responseRecorder() {
        return responses;
    }

    SipProvider provider() {
        return provider;
    }

    AddressFactory addressFactory() {
        return addressFactory;
    }

    HeaderFactory headerFactory() {
        return headerFactory;
    }

    MessageFactory messageFactory() {
        return messageFactory;
    }

    /** A fresh SDP description from this agent (a higher session version each time). */
    String sdp() {
        return Sdp.audio(name, sdpVersion.getAndIncrement());
    }

    /** A fresh tag for From or To (RFC 3261 section 19.3). */
    static String newTag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** This agent's Contact for requests and responses sent over {@code transport}. */
    ContactHeader contact(String user, Transport transport) throws ParseException {
        SipURI uri = addressFactory.createSipURI(user, HOST);
        uri.setPort(port);
        if (transport == Transport.TCP) {
            uri.setTransportParam(transport.param());
        } else if (transport == Transport.TLS) {
            uri.setSecure(true);
        }
        Address address = addressFactory.createAddress(uri);
        return headerFactory.createContactHeader(address);
    }

    ContentTypeHeader contentType(String mediaType) throws ParseException {
        int slash = mediaType.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a media type: " + mediaType);
        }
        return headerFactory.createContentTypeHeader(mediaType.substring(0, slash), mediaType.substring(slash + 1));
    }

    /**
     * Answers {@code request} on {@code transaction}. Adds {@code toTag} when the request has none
     * (every answer but 100 carries one, RFC 3261 section 8.2.6.2), a Contact on 18x and 2xx to
     * INVITE (section 12.1.1), {@code Allow} on 200 to OPTIONS and on 405, and this agent's SDP when
     * {@code withSdp}. Remembers the dialog a 2xx to INVITE confirms.
     */
    void respond(ServerTransaction transaction, Request request, int status, String toTag, boolean withSdp)
            throws Exception {
        respond(transaction, request, status, toTag, withSdp, response -> { });
    }

    /** As {@link #respond(ServerTransaction, Request, int, String, boolean)}, {@code more} adding headers. */
    void respond(ServerTransaction transaction, Request request, int status, String toTag, boolean withSdp,
                 ResponseHeaders more) throws Exception {
        Response response = messageFactory.createResponse(status, request);
        more.add(response);
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (status != Response.TRYING && to.getTag() == null) {
            to.setTag(toTag);
        }
        String method = request.getMethod();
        Transport transport = Transport.of(((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport());
        if (Request.INVITE.equals(method) && status > 100 && status < 300) {
            response.setHeader(contact(name, transport));
        }
        if (status == Response.METHOD_NOT_ALLOWED || (Request.OPTIONS.equals(method) && status == Response.OK)) {
            response.setHeader(headerFactory.createAllowHeader(ALLOW));
        }
        if (withSdp) {
            response.setContent(sdp(), contentType("application/sdp"));
        }
        if (Request.INVITE.equals(method) && status >= 200 && status < 300) {
            dialogs.put(callIdOf(request), new Leg(transaction.getDialog(), transport));
        }
        transaction.sendResponse(response);
    }

    /**
     * Sends {@code method} inside the confirmed dialog of {@code callId}, with an optional body,
     * and returns its CSeq number (to wait for the answer with {@link #awaitFinal}).
     */
    long sendInDialog(String callId, String method, String mediaType, String body) {
        Leg leg = dialogs.get(callId);
        if (leg == null) {
            throw new AssertionError(name + " has no confirmed dialog for Call-ID " + callId + " to send " + method);
        }
        try {
            Request request = leg.dialog().createRequest(method);
            if (Request.INVITE.equals(method)) {
                request.setHeader(contact(name, leg.transport()));
            }
            if (body != null) {
                request.setContent(body, contentType(mediaType));
            }
            ClientTransaction transaction = provider.getNewClientTransaction(request);
            leg.dialog().sendRequest(transaction);
            return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        } catch (Exception e) {
            throw new AssertionError(name + " could not send " + method + " in dialog " + callId, e);
        }
    }

    /** {@link #sendInDialog} and waits for the final response. */
    ReceivedResponse requestInDialog(String callId, String method, String mediaType, String body, Duration timeout) {
        long cseq = sendInDialog(callId, method, mediaType, body);
        return awaitFinal(callId, method, cseq, timeout);
    }

    /** Whether the dialog of {@code callId} is confirmed and not yet ended. */
    boolean dialogLive(String callId) {
        Leg leg = dialogs.get(callId);
        return leg != null && leg.dialog().getState() != DialogState.TERMINATED;
    }

    /** Waits for the final response to the request {@code method}/{@code cseq} of {@code callId}. */
    ReceivedResponse awaitFinal(String callId, String method, long cseq, Duration timeout) {
        return responses.awaitFirst(
                r -> r.isFinal() && r.cseq() == cseq && r.method().equals(method) && r.callId().equals(callId),
                timeout, "final response to " + method + " (CSeq " + cseq + ", Call-ID " + callId + ") at " + name);
    }

    void error(String what, Throwable cause) {
        String message = name + ": " + what + (cause == null ? "" : ": " + cause);
        errors.add(message);
        LOG.warn(message, cause);
    }

    static String callIdOf(Message message) {
        return ((CallIdHeader) message.getHeader(CallIdHeader.NAME)).getCallId();
    }

    /**
     * Stops the stack and frees the port, without jain-sip's two leftovers: its {@code stop()}
     * marks the event scanner stopped but leaves the scanner's (non-daemon) thread blocked on its
     * queue, where it checks the mark only after the next event, so one harmless event lets it
     * exit; and it ends with an unconditional one-second {@code Thread.sleep} (after the sockets
     * are closed) whose interruption it ignores, so it is entered with the interrupt flag set.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopStack();
            LOG.debug("{} closed", name);
        }
    }

    private void stopStack() {
        boolean wasInterrupted = Thread.interrupted();
        Thread.currentThread().interrupt();
        try {
            stack.stop();
        } finally {
            Thread.interrupted();
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
        eventScanner.addEvent(new EventWrapper(new IOExceptionEvent(wakeUp, HOST, port, "close"), null));
    }

    /** The stack's callbacks; all run on the stack's single event-scanner thread. */
    private final class Events implements SipListener {
        @Override
        public void processRequest(RequestEvent event) {
            long arrivalNs = System.nanoTime();
            Request request = event.getRequest();
            try {
                ServerTransaction transaction = event.getServerTransaction();
                if (transaction == null && !Request.ACK.equals(request.getMethod())) {
                    try {
                        transaction = provider.getNewServerTransaction(request);
                    } catch (TransactionAlreadyExistsException retransmission) {
                        return; // the transaction that owns it answers
                    }
                }
                ReceivedRequest received = ReceivedRequest.of(event, arrivalNs);
                requests.add(received);
                if (!role.onRequest(SipUa.this, event, transaction, received)) {
                    answer(transaction, request, received);
                }
            } catch (Exception e) {
                error("could not handle " + request.getMethod() + " " + callIdOf(request), e);
            }
        }

        private void answer(ServerTransaction transaction, Request request, ReceivedRequest received)
                throws Exception {
            switch (received.method()) {
                case Request.ACK -> {
                    // Ends a 2xx exchange; nothing to answer.
                }
                case Request.INVITE -> {
                    if (received.inDialog()) {
                        respond(transaction, request, Response.OK, null, true);
                    } else {
                        respond(transaction, request, Response.FORBIDDEN, newTag(), false);
                    }
                }
                case Request.CANCEL -> respond(transaction, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST,
                        newTag(), false);
                case Request.BYE, Request.INFO, Request.UPDATE, Request.OPTIONS ->
                        respond(transaction, request, Response.OK, newTag(), false);
                default -> respond(transaction, request, Response.METHOD_NOT_ALLOWED, newTag(), false);
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {
            long arrivalNs = System.nanoTime();
            Response response = event.getResponse();
            boolean retransmission = event instanceof ResponseEventExt ext && ext.isRetransmission();
            ReceivedResponse received = ReceivedResponse.of(response, retransmission, arrivalNs);
            if (received.method().equals(Request.INVITE) && received.status() / 100 == 2 && !retransmission) {
                ack(event, received);
            }
            responses.add(received);
        }

        private void ack(ResponseEvent event, ReceivedResponse ok) {
            Dialog dialog = event.getDialog();
            if (dialog == null) {
                error("no dialog for " + ok + ", cannot ACK it", null);
                return;
            }
            try {
                dialog.sendAck(dialog.createAck(ok.cseq()));
                Transport transport = Transport.of(
                        ((ViaHeader) event.getResponse().getHeader(ViaHeader.NAME)).getTransport());
                dialogs.put(ok.callId(), new Leg(dialog, transport));
            } catch (SipException | InvalidArgumentException e) {
                error("could not ACK " + ok, e);
            }
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            if (event.isServerTransaction()) {
                Request request = event.getServerTransaction().getRequest();
                error("no ACK for the answer to " + request.getMethod() + " " + callIdOf(request), null);
            } else {
                Request request = event.getClientTransaction().getRequest();
                error("no answer to " + request.getMethod() + " " + callIdOf(request), null);
            }
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            if (event.getSource() != wakeUp) {
                error("I/O error towards " + event.getHost() + ":" + event.getPort() + "/" + event.getTransport(), null);
            }
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
            // Nothing to do: transactions end on their own timers.
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            // Nothing to do: the BYE that ended it has been recorded.
        }
    }
}
