package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code server.sip.reliable_provisionals} (RFC 3262). */
class ReliableProvisionalsSettingsTest {

    private final TestYaml yaml = new TestYaml(Map.of());

    @Test
    void supportedByDefaultAndOffWhenSaid() throws ConfigException {
        assertEquals(ServerSettings.ReliableProvisionals.SUPPORTED,
                yaml.load("server: { sip: { } }").server().sip().reliableProvisionals());
        assertEquals(ServerSettings.ReliableProvisionals.OFF,
                yaml.load("server: { sip: { reliable_provisionals: off } }").server().sip().reliableProvisionals());
        assertEquals(ServerSettings.ReliableProvisionals.SUPPORTED, yaml.load(
                "server: { sip: { reliable_provisionals: supported } }").server().sip().reliableProvisionals());
    }

    @Test
    void anyOtherValueIsAnErrorWithWhere() {
        assertEquals(List.of("config/test.yaml:3:28: server.sip.reliable_provisionals: must be supported or off,"
                        + " got \"required\""),
                yaml.errors("""
                        server:
                          sip:
                            reliable_provisionals: required
                        """));
    }
}
