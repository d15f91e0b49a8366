package org.callrouter.routing;

import org.junit.jupiter.api.Test;

import org.callrouter.routing.HandlerHealth.Cause;
import org.callrouter.routing.config.ServerSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerHealthTest {

    @Test
    void thresholdsKeepAFlappingHandlerFromFlipping() {
        HandlerHealth health = new HandlerHealth(new ServerSettings.Health(10, 3, 2, true, 0));
        assertTrue(health.healthy("h"), "handlers start healthy");
        health.probeResult("h", false, 1);
        health.probeResult("h", false, 2);
        health.probeResult("h", true, 3);
        health.probeResult("h", false, 4);
        health.probeResult("h", false, 5);
        assertTrue(health.healthy("h"), "failures were not consecutive");
        health.probeResult("h", false, 6);
        assertFalse(health.healthy("h"));
        assertEquals(new HandlerHealth.Status(false, Cause.PROBES, 0, 0, 6, 6), health.status("h"));
        health.probeResult("h", true, 7);
        assertFalse(health.healthy("h"), "recovery needs 2 good probes");
        health.probeResult("h", true, 8);
        assertTrue(health.healthy("h"));
        assertEquals(8, health.status("h").sinceMs());
        assertEquals(1, health.markedUnhealthy("h", Cause.PROBES));
    }

    @Test
    void disabledProbingMeansHealthy() {
        HandlerHealth health = new HandlerHealth(new ServerSettings.Health(10, 1, 1, false, 0));
        health.probeResult("h", false, 1);
        assertTrue(health.healthy("h"));
        assertFalse(health.enabled());
    }

    @Test
    void consecutiveFailedInvitesMarkAHandlerUnhealthyAndProbesBringItBack() {
        ServerSettings.Health settings = new ServerSettings.Health(10, 3, 2, true, 3);
        HandlerHealth health = new HandlerHealth(settings);
        health.probeResult("h", true, 1);
        health.inviteResult("h", true, 503, 2);
        health.inviteResult("h", true, 408, 3);
        health.inviteResult("h", false, 486, 4);
        health.inviteResult("h", true, 500, 5);
        health.inviteResult("h", true, 503, 6);
        assertTrue(health.healthy("h"), "a busy answer in between proved it alive");
        assertEquals(2, health.status("h").consecutiveInviteFailures());
        health.inviteResult("h", true, 503, 7);
        assertFalse(health.healthy("h"));
        HandlerHealth.Status status = health.status("h");
        assertEquals(new HandlerHealth.Status(false, Cause.INVITES, 3, 503, 1, 7), status);
        assertEquals("3 consecutive INVITEs failed (last: 503); probes bring it back", status.detail(settings));
        assertEquals(1, health.markedUnhealthy("h", Cause.INVITES));

        health.probeResult("h", true, 8);
        assertFalse(health.healthy("h"), "the good probe before the marking does not count: recovery needs 2");
        health.probeResult("h", true, 9);
        assertTrue(health.healthy("h"));
        status = health.status("h");
        assertEquals(new HandlerHealth.Status(true, Cause.NONE, 0, 0, 9, 9), status);
        assertNull(status.detail(settings));

        health.inviteResult("h", true, 408, 10);
        health.inviteResult("h", true, 408, 11);
        assertTrue(health.healthy("h"), "the count started again after the recovery");
        health.inviteResult("h", true, 408, 12);
        assertEquals("3 consecutive INVITEs failed (last: no response); probes bring it back",
                health.status("h").detail(settings));
        assertEquals(2, health.markedUnhealthy("h", Cause.INVITES));
    }

    @Test
    void passiveHealthOffByDefaultCountsNothing() {
        HandlerHealth health = new HandlerHealth(new ServerSettings.Health(10, 3, 1, true, 0));
        for (int i = 0; i < 100; i++) {
            health.inviteResult("h", true, 503, i);
        }
        assertTrue(health.healthy("h"));
        assertEquals(0, health.status("h").consecutiveInviteFailures());
    }

    @Test
    void handlersAreCountedApart() {
        HandlerHealth health = new HandlerHealth(new ServerSettings.Health(10, 3, 1, true, 1));
        health.inviteResult("a", true, 503, 1);
        assertFalse(health.healthy("a"));
        assertTrue(health.healthy("b"));
    }
}
