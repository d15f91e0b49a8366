package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code server.sip.session_timer} (RFC 4028). */
class SessionTimerSettingsTest {

    private final TestYaml yaml = new TestYaml(Map.of());

    @Test
    void defaultsAreOnWith1800And90() throws ConfigException {
        assertEquals(new ServerSettings.SessionTimer(true, 1800, 90),
                yaml.load("server: { sip: { } }").server().sip().sessionTimer());
    }

    @Test
    void settingsAreRead() throws ConfigException {
        assertEquals(new ServerSettings.SessionTimer(false, 600, 120), yaml.load("""
                server:
                  sip:
                    session_timer: { enabled: false, session_expires_seconds: 600, min_se_seconds: 120 }
                """).server().sip().sessionTimer());
    }

    @Test
    void minSeBelow90AndAnIntervalBelowItAreRefusedWithWhere() {
        assertEquals(List.of("config/test.yaml:4:54: server.sip.session_timer.min_se_seconds: must be >= 90, got 30"),
                yaml.errors("""
                        server:
                          sip:
                            session_timer:
                              { session_expires_seconds: 90, min_se_seconds: 30 }
                        """));
        assertEquals(List.of("config/test.yaml:4:34: server.sip.session_timer.session_expires_seconds:"
                        + " session_expires_seconds=100 must be >= min_se_seconds=120"),
                yaml.errors("""
                        server:
                          sip:
                            session_timer:
                              { session_expires_seconds: 100, min_se_seconds: 120 }
                        """));
        assertEquals(List.of("config/test.yaml:3:31: server.sip.session_timer.enabled: expected true or false,"
                        + " got the text \"sometimes\""),
                yaml.errors("""
                        server:
                          sip:
                            session_timer: { enabled: sometimes }
                        """));
    }
}
