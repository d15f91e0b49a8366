package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code number_policy:} and {@code numbers[].canary}: defaults, values, and refusals with their place. */
class NumberPolicyTest {

    private static final String MODEL = """
            sources: [{ id: s }]
            handlers: [{ id: a, uri: "sip:a@h" }]
            campaigns: [{ id: c, handlers: [a] }]
            numbers:
              - { number: "+18005550100", campaign: c, source: s, canary: true }
              - { number: "+18005550101", campaign: c, source: s }
            """;

    @Test
    void defaultsAndValues() throws ConfigException {
        RouterConfig plain = ConfigLoader.parse(MODEL, Path.of("r.yaml"));
        assertEquals(NumberPolicy.DEFAULT, plain.numberPolicy());
        assertEquals(Map.of("+18005550100", "c"), plain.canaryNumbers());
        RouterConfig set = ConfigLoader.parse(MODEL + """
                number_policy: { quarantine_days: 90, quiet_days: 0, quarantine_status: 410, spam_window_days: 30,
                                 spam_threshold: 0.35, spam_min_calls: 20 }
                """, Path.of("r.yaml"));
        assertEquals(new NumberPolicy(90, 0, 410, 30, 0.35, 20), set.numberPolicy());
    }

    @Test
    void badValuesAreRefusedWithTheirPlace() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(MODEL + """
                number_policy:
                  quarantine_status: 200
                  spam_threshold: 1.5
                  spam_window_days: 0
                  quarantine_day: 3
                """, Path.of("r.yaml")));
        String m = e.getMessage();
        assertTrue(m.contains("r.yaml:8:22: number_policy.quarantine_status: must be >= 400, got 200"), m);
        assertTrue(m.contains("r.yaml:9:19: number_policy.spam_threshold: must be a share above 0 and at most 1"), m);
        assertTrue(m.contains("number_policy.spam_window_days: must be > 0, got 0"), m);
        assertTrue(m.contains("number_policy.quarantine_day"), m);
        ConfigException canary = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                MODEL.replace("canary: true", "canary: maybe"), Path.of("r.yaml")));
        assertTrue(canary.getMessage().contains("numbers[0].canary: expected true or false"), canary.getMessage());
    }
}
