package org.callrouter.server.transaction;

import org.agrona.ErrorHandler;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.InboundSink;

/**
 * The entry point of everything the transports decode: requests and responses go to the
 * {@link TransactionLayer}; malformed requests get {@code 400} with the parser's reason when
 * their headers allow an answer (RFC 3261 8.2 and 16.3); malformed responses are dropped
 * (RFC 4475 3.1.2). Nothing thrown below escapes: it is answered if a response is owed, and
 * handed to the error handler.
 */
public final class InboundDispatcher implements InboundSink {

    private final TransactionLayer layer;
    private final ErrorHandler errors;
    private final InboundStats stats = new InboundStats();

    public InboundDispatcher(TransactionLayer layer, ErrorHandler errors) {
        this.layer = layer;
        this.errors = errors;
    }

    public InboundStats stats() {
        return stats;
    }

    @Override
    public void onInbound(InboundMessage inbound, Destination source) {
        final SipMessage message = inbound.message();
        if (message == null) {
            onMalformed(inbound.failure(), source);
            return;
        }
        try {
            if (message instanceof SipRequest request) {
                layer.onRequest(request, source);
            } else {
                layer.onResponse((SipResponse) message);
            }
        } catch (SipParseException e) {
            // A header the parser reads lazily turned out malformed.
            onMalformed(new SipParseException(e.status(), e.reason(), message), source);
        } catch (RuntimeException | Error e) {
            errors.onError(e);
            if (message instanceof SipRequest request && !request.method().name().equals("ACK")) {
                answerStateless(request, 500, "Server Internal Error", source);
            }
        }
    }

    private void onMalformed(SipParseException failure, Destination source) {
        final SipMessage partial = failure.partial();
        if (partial instanceof SipRequest request && !"ACK".equals(request.method().name())) {
            stats.malformedRequests++;
            answerStateless(request, failure.status(), failure.reason(), source);
        } else {
            stats.malformedDropped++;
        }
    }

    /**
     * Answers without a transaction. The response goes back where the request came from, as a
     * request this broken may not have a usable Via.
     */
    private void answerStateless(SipRequest request, int status, String reason, Destination source) {
        try {
            final byte[] encoded = SipResponseBuilder.forRequest(request, status, reason).toBytes();
            layer.respondStateless(status, encoded, source);
        } catch (RuntimeException e) {
            // Too broken to answer (no Via, Call-ID, CSeq...): nothing to send it back with.
            stats.malformedDropped++;
        }
    }
}
