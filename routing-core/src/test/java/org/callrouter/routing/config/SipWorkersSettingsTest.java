package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code server.sip.workers}: SIP worker loops. */
class SipWorkersSettingsTest {

    private final TestYaml yaml = new TestYaml(Map.of());

    @Test
    void onePerAvailableProcessorByDefault() throws ConfigException {
        assertEquals(Runtime.getRuntime().availableProcessors(),
                yaml.load("server: { sip: { } }").server().sip().workers());
        assertEquals(1, yaml.load("server: { sip: { workers: 1 } }").server().sip().workers());
        assertEquals(256, yaml.load("server: { sip: { workers: 256 } }").server().sip().workers());
    }

    @Test
    void outOfRangeIsAnErrorWithWhere() {
        for (String value : new String[] {"0", "257", "two"}) {
            final List<String> errors = yaml.errors("""
                    server:
                      sip:
                        workers: %s
                    """.formatted(value));
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith("config/test.yaml:3:14: server.sip.workers: "), errors.get(0));
        }
    }
}
