package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.sip.tls}, {@code tls:} listen addresses, TLS handler URIs and {@code server.sip.connections}. */
class TlsSettingsTest {

    private static final Path FILE = Path.of("config/test.yaml");

    @TempDir
    Path dir;

    private static List<ConfigError> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE)).errors();
    }

    private static String handler(String uri) {
        return """
                handlers:
                  - id: secure
                    uri: "%s"
                """.formatted(uri);
    }

    private String tlsServer() throws IOException {
        Path certificate = Files.writeString(dir.resolve("router.pem"), "certificate");
        Path key = Files.writeString(dir.resolve("router-key.pem"), "key");
        return """
                server:
                  sip:
                    listen: ["udp:127.0.0.1:5060", "tls:127.0.0.1:5061"]
                    tls:
                      certificate: "%s"
                      private_key: "%s"
                """.formatted(certificate, key);
    }

    @Test
    void aSipsHandlerWithoutTlsIsAConfigError() {
        List<ConfigError> errors = errors(handler("sips:+15551230001@handler.example.com"));
        assertEquals(List.of("config/test.yaml:3:10: handlers[0].uri: 'sips:+15551230001@handler.example.com' is "
                + "reached over TLS: add a tls: address to server.sip.listen and server.sip.tls { certificate, "
                + "private_key }"), errors.stream().map(ConfigError::toString).toList());
    }

    @Test
    void aTransportTlsHandlerWithoutTlsIsAConfigError() {
        List<ConfigError> errors = errors(handler("sip:handler.example.com;transport=TLS"));
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("handlers[0].uri", errors.get(0).path());
        assertEquals(3, errors.get(0).line());
    }

    @Test
    void aTlsListenAddressNeedsTheCertificate() {
        List<ConfigError> errors = errors("""
                server:
                  sip:
                    listen: ["udp:127.0.0.1:5060", "tls:127.0.0.1:5061"]
                """);
        assertEquals(List.of("config/test.yaml:3:36: server.sip.listen[1]: tls:127.0.0.1:5061 needs "
                + "server.sip.tls { certificate, private_key }"), errors.stream().map(ConfigError::toString).toList());
    }

    @Test
    void tlsWithoutATlsListenAddressIsAConfigError() throws IOException {
        List<ConfigError> errors = errors(tlsServer().replace(", \"tls:127.0.0.1:5061\"", ""));
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("server.sip.tls", errors.get(0).path());
    }

    @Test
    void tlsSettingsAreRead() throws Exception {
        RouterConfig config = ConfigLoader.parse(tlsServer() + handler("sips:127.0.0.1:5081"), FILE);
        ServerSettings.Sip sip = config.server().sip();
        assertEquals("tls:127.0.0.1:5061", sip.listen().get(1).toString());
        assertEquals(ListenAddress.Transport.TLS, sip.listen().get(1).transport());
        assertEquals(dir.resolve("router.pem").toAbsolutePath(), sip.tls().certificate());
        assertEquals(dir.resolve("router-key.pem").toAbsolutePath(), sip.tls().privateKey());
        assertNull(sip.tls().ca(), "the JDK trust store");
        assertEquals(new ServerSettings.Connections(10_000, 100), sip.connections());
    }

    @Test
    void theCertificateAndKeyAreRequired() {
        List<ConfigError> errors = errors("""
                server:
                  sip:
                    listen: ["tls:127.0.0.1:5061"]
                    tls: { ca: /etc/ssl/ca.pem }
                """);
        assertEquals(List.of("server.sip.tls.certificate", "server.sip.tls.private_key"),
                errors.stream().map(ConfigError::path).toList());
    }

    @Test
    void connectionBoundsAreReadAndChecked() throws ConfigException {
        ServerSettings.Sip sip = ConfigLoader.parse("""
                server:
                  sip:
                    connections: { max: 50, max_per_address: 5 }
                """, FILE).server().sip();
        assertEquals(new ServerSettings.Connections(50, 5), sip.connections());
        List<ConfigError> errors = errors("""
                server:
                  sip:
                    connections: { max_per_address: 0 }
                """);
        assertEquals("server.sip.connections.max_per_address", errors.get(0).path());
    }
}
