package org.callrouter.routing;

import org.junit.jupiter.api.Test;

import org.callrouter.routing.config.ServerSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerHealthTest {

    @Test
    void thresholdsKeepAFlappingHandlerFromFlipping() {
        HandlerHealth health = new HandlerHealth(new ServerSettings.Health(10, 3, 2, true));
        assertTrue(health.healthy("h"), "handlers start healthy");
        health.probeResult("h", false, 1);
        health.probeResult("h", false, 2);
        health.probeResult("h", true, 3);
        health.probeResult("h", false, 4);
        health.probeResult("h", false, 5);
        assertTrue(health.healthy("h"), "failures were not consecutive");
        health.probeResult("h", false, 6);
        assertFalse(health.healthy("h"));
        assertEquals(new HandlerHealth.Status(false, 6, 6), health.status("h"));
        health.probeResult("h", true, 7);
        assertFalse(health.healthy("h"), "recovery needs 2 good probes");
        health.probeResult("h", true, 8);
        assertTrue(health.healthy("h"));
        assertEquals(8, health.status("h").sinceMs());
    }

    @Test
    void disabledProbingMeansHealthy() {
        HandlerHealth health = new HandlerHealth(new ServerSettings.Health(10, 1, 1, false));
        health.probeResult("h", false, 1);
        assertTrue(health.healthy("h"));
        assertFalse(health.enabled());
    }
}
