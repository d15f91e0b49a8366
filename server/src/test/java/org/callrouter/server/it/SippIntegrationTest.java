package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.callrouter.server.sipua.Sipp;
import org.callrouter.server.sipua.SippResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's own SIPp scenarios ({@code ../shared/bench/sipp/}, copied into the test
 * resources) through the router: SIPp as the carrier and as the handler, 300 calls.
 */
class SippIntegrationTest {

    private static final int CALLS = 300;

    @TempDir
    Path dir;

    @Test
    void sippCarrierToSippHandlerThroughTheRouter() {
        Sipp.requireInstalled();
        try (Sipp handler = Sipp.scenario("uas.xml").ports(45500, 45749).calls(CALLS).start();
             RouterFixture router = RouterFixture.start(dir.resolve("data"), """
                     sources:
                       - id: bench
                     handlers:
                       - { id: sipp, uri: "sip:%s" }
                     campaigns:
                       - id: bench
                         handlers: [sipp]
                     numbers:
                       - { number: "18005550100", campaign: bench, source: bench }
                     """.formatted(handler.hostPort()));
             Sipp carrier = Sipp.scenario("uac.xml").ports(45750, 45999).remote(router.hostPort())
                     .service("18005550100").calls(CALLS).rate(100).start()) {
            final SippResult placed = carrier.awaitExit();
            assertEquals(CALLS, placed.successfulCalls(), placed::toString);
            assertEquals(0, placed.failedCalls(), placed::toString);
            final SippResult answered = handler.awaitExit();
            assertEquals(CALLS, answered.successfulCalls(), answered::toString);
            assertEquals(0, answered.failedCalls(), answered::toString);
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }
}
