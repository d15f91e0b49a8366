package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.callrouter.routing.config.ServerSettings.CallerSource;
import org.junit.jupiter.api.Test;

/** {@code server.sip.identity} and a campaign's {@code pass_diversion}. */
class IdentitySettingsTest {

    private static final Path FILE = Path.of("config/test.yaml");

    private static List<String> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE)).errors().stream()
                .map(e -> e.path() + ": " + e.message()).toList();
    }

    @Test
    void defaultsReadFromOnlyAndBelieveTheTrustedSources() throws ConfigException {
        ServerSettings.Sip sip = ConfigLoader.parse("server: { sip: { trusted: [10.0.0.0/8] } }", FILE).server().sip();
        assertEquals(List.of(CallerSource.FROM), sip.identity().callerFrom());
        assertFalse(sip.identity().readsAsserted());
        assertTrue(sip.identity().believes(new byte[] {10, 1, 2, 3}), "asserted_from defaults to trusted");
        assertFalse(sip.identity().believes(new byte[] {127, 0, 0, 1}));
        ServerSettings.Stir stir = sip.identity().stir();
        assertNull(stir.trustAnchors());
        assertFalse(stir.verifies());
        assertEquals(new ServerSettings.Stir(null, null, 200, 2000, 3600, 30, 60), stir);
    }

    @Test
    void settingsAreRead() throws ConfigException {
        RouterConfig config = ConfigLoader.parse("""
                server:
                  sip:
                    identity:
                      caller_from: [p_asserted_identity, remote_party_id, from]
                      asserted_from: [192.0.2.0/24]
                      stir: { trust_anchors: /etc/sti/roots.pem, ca: /etc/sti/ca.pem, verify_wait_ms: 50,
                              fetch_timeout_ms: 1000, cache_seconds: 60, failure_cache_seconds: 5, max_age_seconds: 30 }
                handlers:
                  - { id: h, uri: "sip:127.0.0.1:5080" }
                campaigns:
                  - { id: c, handlers: [h], pass_diversion: true }
                """, FILE);
        ServerSettings.Identity identity = config.server().sip().identity();
        assertEquals(List.of(CallerSource.P_ASSERTED_IDENTITY, CallerSource.REMOTE_PARTY_ID, CallerSource.FROM),
                identity.callerFrom());
        assertTrue(identity.believes(new byte[] {(byte) 192, 0, 2, 7}));
        assertEquals(new ServerSettings.Stir(Path.of("/etc/sti/roots.pem"), Path.of("/etc/sti/ca.pem"), 50, 1000, 60, 5,
                30), identity.stir());
        assertTrue(config.campaign("c").orElseThrow().passDiversion());
    }

    @Test
    void badValuesAreNamed() {
        assertEquals(List.of(
                "server.sip.header_tags.X-Attest: \"attestation\" is set by the router from the identity headers and"
                        + " cannot come from another header",
                "server.sip.identity.caller_from[0]: must be p_asserted_identity, remote_party_id or from, got \"pai\"",
                "server.sip.identity.caller_from[2]: \"from\" is listed twice",
                "server.sip.identity.asserted_from[0]: not an IPv4 address: \"300.0.0.0\"",
                "server.sip.identity.stir.verify_wait_ms: must be <= 10000, got 20000"),
                errors("""
                        server:
                          sip:
                            header_tags: { X-Attest: attestation }
                            identity:
                              caller_from: [pai, from, from]
                              asserted_from: [300.0.0.0/8]
                              stir: { verify_wait_ms: 20000 }
                        """));
    }
}
