package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;

import org.callrouter.server.Await;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.SipUa;
import org.callrouter.server.sipua.Sipp;
import org.callrouter.server.sipua.SippResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The carrier interop matrix's transport rows played by SIPp, as a carrier or handler in the field
 * would (issue 15 items 6 and 7): a carrier behind a NAT ({@code sipp/carrier_nat.xml}: rport, a
 * private Contact, the handler hangs up first) and a carrier whose offer makes the INVITE larger
 * than 1300 bytes ({@code sipp/carrier_large_offer.xml}) towards a handler whose URI says UDP but
 * which listens on TCP only (SIPp {@code uas.xml -t t1}): the call completes only over TCP. Ports
 * 48400-48499 (shared with {@code EarlyMediaIntegrationTest}; failsafe runs one class at a time).
 */
class SippCompatibilityIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NUMBER = "18005550100";

    @TempDir
    Path dir;

    private static String oneHandler(String uri) {
        return """
                sources:
                  - id: trunk
                handlers:
                  - { id: buyer, uri: "%s", timeout_seconds: 5 }
                campaigns:
                  - { id: sales, handlers: [buyer] }
                numbers:
                  - { number: "+%s", campaign: sales, source: trunk }
                """.formatted(uri, NUMBER);
    }

    @Test
    void aCarrierBehindANatIsReachedThroughItsBindingWhenTheHandlerHangsUp() {
        Sipp.requireInstalled();
        try (Handler handler = Handler.open("buyer", Ports.free(48400, 48499), SipUa.Transport.UDP);
             RouterFixture router = RouterFixture.start(dir.resolve("data"), oneHandler(handler.uri()))) {
            handler.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(300)));
            try (Sipp carrier = Sipp.scenario("carrier_nat.xml").ports(48400, 48499).remote(router.hostPort())
                    .service(NUMBER).calls(1).timeout(Duration.ofSeconds(20)).start()) {
                final SippResult result = carrier.awaitExit();
                assertEquals(1, result.successfulCalls(), result::toString);
            }
            assertNoLiveCalls(router);
        }
    }

    @Test
    void aLargeOfferReachesAHandlerListeningOnTcpOnly() {
        Sipp.requireInstalled();
        try (Sipp handler = Sipp.scenario("uas.xml").ports(48400, 48499).transport("t1").calls(1)
                .timeout(Duration.ofSeconds(20)).start();
             RouterFixture router = RouterFixture.start(dir.resolve("data"), oneHandler("sip:" + handler.hostPort()))) {
            try (Sipp carrier = Sipp.scenario("carrier_large_offer.xml").ports(48400, 48499).remote(router.hostPort())
                    .service(NUMBER).calls(1).timeout(Duration.ofSeconds(20)).start()) {
                final SippResult placed = carrier.awaitExit();
                assertEquals(1, placed.successfulCalls(), placed::toString);
            }
            final SippResult answered = handler.awaitExit();
            assertEquals(1, answered.successfulCalls(), answered::toString);
            assertNoLiveCalls(router);
        }
    }

    private static void assertNoLiveCalls(RouterFixture router) {
        Await.until(WAIT, () -> router.server().workers().b2buaStats().activeCalls == 0, () -> "live calls");
        assertEquals(0, router.server().errors().total(), "internal errors");
    }
}
