package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trunks:}: outbound trunks with digest credentials from the environment or a file. */
class TrunkConfigTest {

    private static final String SECRET = "trunk-password-s3cret";
    private static final Map<String, String> ENV = Map.of("TRUNK_PASSWORD", SECRET);

    @TempDir
    Path dir;

    private static final TestYaml YAML = new TestYaml(ENV);

    @Test
    void trunksReadWithDefaultsAndSecretsFromEnvironmentOrFile() throws Exception {
        final Path file = dir.resolve("trunk.pw");
        Files.writeString(file, "file-password\n", StandardCharsets.UTF_8);
        final RouterConfig config = YAML.load("""
                trunks:
                  - id: carrier-a
                    uri: sip:127.0.0.1:5070
                    username: acct1
                    password_env: TRUNK_PASSWORD
                    caller_id: "(555) 123-0000"
                    max_concurrent: 4
                  - { id: carrier-b, uri: "sips:trunk.example.com", username: u2, password_file: "%s",
                      caller_id: "+442071838750", ring_timeout_seconds: 20 }
                  - { id: by-ip, uri: "sip:10.0.0.1:5060;transport=tcp", caller_id: "+15551230001" }
                """.formatted(file));
        final TrunkConfig a = config.trunk("carrier-a").orElseThrow();
        assertEquals("sip:127.0.0.1:5070", a.uri());
        assertEquals(SECRET, a.password());
        assertEquals("+15551230000", a.callerId());
        assertEquals(4, a.maxConcurrent());
        assertEquals(TrunkReader.DEFAULT_RING_TIMEOUT_SECONDS, a.ringTimeoutSeconds());
        final TrunkConfig b = config.trunk("carrier-b").orElseThrow();
        assertEquals("file-password", b.password(), "the file's trailing newline is not part of it");
        assertEquals(TrunkReader.DEFAULT_MAX_CONCURRENT, b.maxConcurrent());
        assertEquals(20, b.ringTimeoutSeconds());
        final TrunkConfig byIp = config.trunk("by-ip").orElseThrow();
        assertFalse(byIp.authenticates());
        assertNull(byIp.password());
        assertEquals(List.of("carrier-a", "carrier-b", "by-ip"), config.trunks().stream().map(TrunkConfig::id).toList());
        assertFalse(config.trunks().toString().contains(SECRET), () -> config.trunks().toString());
        assertFalse(b.toString().contains("file-password"));
    }

    @Test
    void badTrunksAreErrorsWithPositionAndNeverShowThePassword() {
        final List<String> errors = YAML.errors("""
                trunks:
                  - { id: a, uri: "http://x", caller_id: "+15551230000" }
                  - { id: b, uri: "sip:1.2.3.4", password: "%s", username: u, caller_id: "+15551230000" }
                  - { id: c, uri: "sip:1.2.3.4", username: u, caller_id: "+15551230000" }
                  - { id: d, uri: "sip:1.2.3.4", password_env: NOT_SET_ANYWHERE, username: u, caller_id: "+15551230000" }
                  - { id: e, uri: "sip:1.2.3.4", password_env: TRUNK_PASSWORD, caller_id: "+15551230000" }
                  - { id: f, uri: "sip:1.2.3.4", caller_id: "not a number" }
                  - { id: a, uri: "sip:1.2.3.4", caller_id: "+15551230000", max_concurrent: 0 }
                  - { id: g, uri: "sip:1.2.3.4", caller_id: "+15551230000", ring_timeout_seconds: 40, colour: red }
                  - { id: h, uri: "sip:1.2.3.4" }
                """.formatted(SECRET));
        final List<String> expected = List.of(
                "config/test.yaml:2:19: trunks[0].uri: must be a sip: or sips: URI",
                "config/test.yaml:3:44: trunks[1].password: write the password in password_env",
                "config/test.yaml:4:44: trunks[2].username: needs password_env or password_file",
                "config/test.yaml:5:48: trunks[3].password_env: the environment variable NOT_SET_ANYWHERE is not set",
                "config/test.yaml:6:48: trunks[4].password_env: needs username",
                "config/test.yaml:7:45: trunks[5].caller_id: \"not a number\" is not a phone number",
                "config/test.yaml:8:11: trunks[6].id: duplicate trunk id \"a\"",
                "config/test.yaml:8:77: trunks[6].max_concurrent: must be > 0, got 0",
                "config/test.yaml:9:83: trunks[7].ring_timeout_seconds: must be <= 30, got 40",
                "config/test.yaml:9:87: trunks[7].colour: unknown key",
                "config/test.yaml:10:5: trunks[8].caller_id: is required");
        for (String want : expected) {
            assertTrue(errors.stream().anyMatch(e -> e.contains(want)), () -> want + " not in " + errors);
        }
        assertFalse(errors.toString().contains(SECRET), errors::toString);
    }
}
