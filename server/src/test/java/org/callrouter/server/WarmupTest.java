package org.callrouter.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up runs real calls through real records (and a lead store) and real
 * datagrams, and reports no error.
 */
class WarmupTest {

    @Test
    void syntheticCallsCompleteAndTheirMessagesCrossTheTransports() {
        final List<Throwable> errors = new ArrayList<>();
        final Warmup.Result result = Warmup.run(true, errors::add);
        assertTrue(result.calls() > 0, "calls completed: " + result.calls());
        // One line per ended call; a call whose events found the buffer full may still be open.
        assertTrue(result.recorded() > 0 && result.recorded() <= result.calls(), "journal lines "
                + result.recorded() + " for " + result.calls() + " calls");
        assertTrue(result.stored() >= 0, "the lead store was warmed up: " + result.stored());
        assertFalse(result.messages().isEmpty());
        final List<String> methods = new ArrayList<>();
        for (byte[] bytes : result.messages()) {
            final SipMessage message = SipParser.parse(bytes, 0, bytes.length);
            if (message instanceof SipRequest request) {
                methods.add(request.method().name());
            }
        }
        assertTrue(methods.containsAll(List.of("INVITE", "ACK", "BYE")), "a whole call in the sample: " + methods);

        assertEquals(3_200, TransportWarmup.run(result.messages(), 3_200, 30_000_000_000L, errors::add),
                "every datagram echoed");
        assertEquals(List.of(), errors);
    }

    @Test
    void withoutALeadStoreTheIngestIsNotWarmedUp() {
        final List<Throwable> errors = new ArrayList<>();
        final Warmup.Result result = Warmup.run(false, errors::add);
        assertTrue(result.calls() > 0, "calls completed: " + result.calls());
        assertEquals(-1, result.stored());
        assertEquals(List.of(), errors);
    }
}
