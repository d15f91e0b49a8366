package org.callrouter.server.sipua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The project's SIPp scenarios against each other, no router in between: the bench carrier
 * ({@code uac.xml}) calls the bench handler ({@code uas.xml}) directly (ports 46500-46999).
 * Without SIPp: fails under CI, skipped elsewhere ({@link Sipp#requireInstalled()}).
 */
class SippSelfTest {
    private static final int CALLS = 20;

    @Test
    void benchCarrierCallsBenchHandlerDirectly() {
        Sipp.requireInstalled();
        try (Sipp uas = Sipp.scenario("uas.xml").ports(46500, 46749).calls(CALLS).start();
             Sipp uac = Sipp.scenario("uac.xml").ports(46750, 46999).remote(uas.hostPort())
                     .service("18005550100").calls(CALLS).rate(CALLS).start()) {
            SippResult carrier = uac.awaitExit();
            assertEquals(CALLS, carrier.successfulCalls(), carrier::toString);
            assertEquals(0, carrier.failedCalls(), carrier::toString);
            assertEquals(0, carrier.exitCode(), carrier::toString);

            SippResult handler = uas.awaitExit();
            assertEquals(CALLS, handler.successfulCalls(), handler::toString);
            assertEquals(0, handler.failedCalls(), handler::toString);
        }
    }
}
