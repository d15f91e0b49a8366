package org.callrouter.routing.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolConfigTest {

    private static final String MODEL = """
            sources: [ { id: web }, { id: google-ads }, { id: meta } ]
            handlers: [ { id: h, uri: "sip:h@127.0.0.1:5080" } ]
            """;

    private static RouterConfig load(Path file, String yaml) throws ConfigException {
        return ConfigLoader.parse(MODEL + yaml, file);
    }

    private static List<String> errors(Path file, String yaml) {
        return assertThrows(ConfigException.class, () -> load(file, yaml)).errors().stream()
                .map(ConfigError::toString).toList();
    }

    @Test
    void readsAPoolWithDefaultsAndMakesItsNumbersTracked() throws ConfigException {
        RouterConfig config = load(Path.of("router.yaml"), """
                campaigns:
                  - id: solar
                    handlers: [h]
                    pools:
                      - id: solar-web
                        numbers: ["+18005550200", "800-555-0201"]
                        source: web
                        overflow_number: "+18005550299"
                        allowed_origins: ["https://solar.example", "http://127.0.0.1:18081"]
                        tags_allowed: [keyword]
                        source_rule: { Google: google-ads, facebook: meta }
                numbers: [ { number: "+18005550100", campaign: solar, source: web } ]
                """);
        PoolConfig pool = config.pools().get(0);
        assertEquals(new PoolConfig("solar-web", "solar", List.of("+18005550200", "+18005550201"), "web", 1800, true,
                false, 600, "+18005550299", List.of("https://solar.example", "http://127.0.0.1:18081"),
                List.of("keyword"), Map.of("google", "google-ads", "facebook", "meta")), pool);
        assertEquals(List.of(pool), config.campaign("solar").orElseThrow().pools());
        assertEquals("google-ads", pool.sourceFor("GOOGLE"));
        assertEquals("web", pool.sourceFor("bing"));
        assertEquals("web", pool.sourceFor(null));
        assertTrue(pool.allowsOrigin("https://solar.example"));
        assertFalse(pool.allowsOrigin("https://evil.example"));
        assertEquals(List.of("+18005550100", "+18005550200", "+18005550201", "+18005550299"),
                config.trackedNumbers().stream().map(NumberConfig::number).toList());
        assertEquals(1, config.numbers().size(), "pool numbers are not static numbers");

        ServerSettings.Tracking tracking = config.server().tracking();
        assertNull(tracking.listen());
        assertEquals(new ServerSettings.Tracking(null, 8192, 20, List.of(),
                new ServerSettings.Tracking.Rate(20, 40, 2000, 4000)), tracking);
        assertEquals(200_000, config.server().stores().maxSessions());
    }

    @Test
    void readsTrackingSettings() throws ConfigException {
        RouterConfig config = ConfigLoader.parse("""
                server:
                  tracking:
                    listen: 127.0.0.1:8090
                    max_body_bytes: 4096
                    max_sessions_per_address: 5
                    trusted_proxies: [10.0.0.0/8]
                    rate: { per_address_per_second: 5, per_address_burst: 10, per_pool_per_second: 100, per_pool_burst: 200 }
                """, Path.of("router.yaml"));
        ServerSettings.Tracking tracking = config.server().tracking();
        assertEquals(HostPort.parse("127.0.0.1:8090"), tracking.listen());
        assertEquals(4096, tracking.maxBodyBytes());
        assertEquals(5, tracking.maxSessionsPerAddress());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8")), tracking.trustedProxies());
        assertEquals(new ServerSettings.Tracking.Rate(5, 10, 100, 200), tracking.rate());
    }

    @Test
    void numbersFileResolvesAgainstTheConfigFileAndErrorsNameItsLines(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("conf/router.yaml");
        Files.createDirectories(dir.resolve("conf/pools"));
        Files.writeString(dir.resolve("conf/pools/solar.txt"), """
                # the solar landing pages
                +18005550200
                  +18005550201   # second

                +18005550202
                """);
        RouterConfig ok = load(config, """
                campaigns:
                  - id: solar
                    handlers: [h]
                    pools: [ { id: solar-web, numbers_file: pools/solar.txt, source: web } ]
                """);
        assertEquals(List.of("+18005550200", "+18005550201", "+18005550202"), ok.pools().get(0).numbers());

        Files.writeString(dir.resolve("conf/pools/bad.txt"), "+18005550300\n  not-a-number\n+18005550200\n");
        List<String> errors = errors(config, """
                campaigns:
                  - id: solar
                    handlers: [h]
                    pools:
                      - { id: solar-web, numbers_file: pools/solar.txt, source: web }
                      - { id: other, numbers_file: pools/bad.txt, source: web }
                      - { id: missing, numbers_file: pools/none.txt, source: web }
                """);
        Path bad = dir.resolve("conf/pools/bad.txt");
        assertTrue(errors.contains(bad + ":2:3: campaigns[0].pools[1].numbers_file: \"not-a-number\" is not a phone"
                + " number (default region US)"), errors::toString);
        assertTrue(errors.contains(bad + ":3:1: campaigns[0].pools[1].numbers_file: +18005550200 is already in pool"
                + " \"solar-web\"; a number belongs to one pool"), errors::toString);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith(config + ":9:38:") && e.contains("file not found: "
                + dir.resolve("conf/pools/none.txt"))), errors::toString);
    }

    @Test
    void aNumberIsInOnePoolOrStaticNotBoth() {
        List<String> errors = errors(Path.of("router.yaml"), """
                campaigns:
                  - id: solar
                    handlers: [h]
                    pools:
                      - { id: a, numbers: ["+18005550200", "+18005550200"], source: web }
                      - { id: b, numbers: ["+18005550201"], source: web, overflow_number: "+18005550200" }
                numbers:
                  - { number: "+18005550201", campaign: solar, source: web }
                """);
        assertEquals(List.of(
                "router.yaml:7:44: campaigns[0].pools[0].numbers[1]: +18005550200 is listed twice in this pool",
                "router.yaml:8:75: campaigns[0].pools[1].overflow_number: +18005550200 is already in pool \"a\";"
                        + " a number belongs to one pool",
                "router.yaml:10:15: numbers[0].number: +18005550201 is also a number of pool \"b\"; a number is"
                        + " either static or in one pool"), errors);
    }

    @Test
    void fieldsAreChecked() {
        List<String> errors = errors(Path.of("router.yaml"), """
                campaigns:
                  - id: solar
                    handlers: [h]
                    pools:
                      - id: Solar Web
                        numbers: ["+18005550200"]
                        source: tv
                        lease_seconds: 5
                        allowed_origins: ["https://solar.example/", "ftp://x", "https://Solar.example", "*"]
                        tags_allowed: [keyword, utm_source, caller_number, "bad-name"]
                        source_rule: { google: nowhere }
                      - { id: dup, numbers: ["+18005550201"], source: web }
                      - { id: dup, numbers_file: x.txt, numbers: ["+18005550202"], source: web }
                      - { id: empty, source: web }
                """);
        List<String> expected = List.of(
                "router.yaml:7:13: campaigns[0].pools[0].id: must be 1-64 of a-z 0-9 _ -, got \"Solar Web\"",
                "router.yaml:9:17: campaigns[0].pools[0].source: unknown source \"tv\"",
                "router.yaml:10:24: campaigns[0].pools[0].lease_seconds: must be >= 30, got 5",
                "router.yaml:11:27: campaigns[0].pools[0].allowed_origins[0]: expected an origin such as"
                        + " https://www.example.com (scheme, host and optional port; no path or trailing slash) or *,"
                        + " got \"https://solar.example/\"",
                "router.yaml:11:53: campaigns[0].pools[0].allowed_origins[1]: expected an origin such as"
                        + " https://www.example.com (scheme, host and optional port; no path or trailing slash) or *,"
                        + " got \"ftp://x\"",
                "router.yaml:11:64: campaigns[0].pools[0].allowed_origins[2]: browsers send origins in lower case:"
                        + " write \"https://solar.example\"",
                "router.yaml:12:33: campaigns[0].pools[0].tags_allowed[1]: \"utm_source\" is a tag the router sets itself",
                "router.yaml:12:45: campaigns[0].pools[0].tags_allowed[2]: \"caller_number\" is a tag the router sets"
                        + " itself",
                "router.yaml:12:60: campaigns[0].pools[0].tags_allowed[3]: a tag name is 1-64 of A-Z a-z 0-9 _, got"
                        + " \"bad-name\"",
                "router.yaml:13:32: campaigns[0].pools[0].source_rule.google: unknown source \"nowhere\"",
                "router.yaml:15:15: campaigns[0].pools[2].id: duplicate pool id \"dup\" (first at line 14)",
                "router.yaml:15:34: campaigns[0].pools[2].numbers_file: give either numbers or numbers_file, not both",
                "router.yaml:16:9: campaigns[0].pools[3].numbers: is required: give numbers: [\"+18005550200\", ...]"
                        + " or numbers_file: pools/name.txt");
        assertEquals(expected, errors);
    }

    @Test
    void poolsMustFitTheSessionsStoreAndTrackingMustNotTakeAnotherListenersPort() {
        List<String> errors = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                server:
                  stores: { max_sessions: 1000 }
                  admin: { listen: 127.0.0.1:8080 }
                  tracking: { listen: 0.0.0.0:8080, rate: { per_pool_per_second: 10, per_pool_burst: 5 } }
                sources: [ { id: web } ]
                handlers: [ { id: h, uri: "sip:h@127.0.0.1:5080" } ]
                campaigns:
                  - id: solar
                    handlers: [h]
                    pools: [ { id: big, numbers_file: big.txt, source: web } ]
                """, bigPool())).errors().stream().map(ConfigError::toString).toList();
        assertTrue(errors.stream().anyMatch(e -> e.contains("server.tracking.rate.per_pool_burst: per_pool_burst=5 must"
                + " be >= per_pool_per_second=10")), errors::toString);
        assertTrue(errors.stream().anyMatch(e -> e.contains("server.stores.max_sessions: the pools have 1001 numbers"
                + " together but max_sessions=1000")), errors::toString);
        assertTrue(errors.stream().anyMatch(e -> e.contains("server.tracking.listen: 0.0.0.0:8080 clashes with"
                + " server.admin.listen=127.0.0.1:8080")), errors::toString);

        List<String> sip = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                server:
                  sip: { listen: ["udp:127.0.0.1:5060", "tcp:127.0.0.1:5060"] }
                  tracking: { listen: 127.0.0.1:5060 }
                """, Path.of("router.yaml"))).errors().stream().map(ConfigError::toString).toList();
        assertEquals(List.of("router.yaml:3:23: server.tracking.listen: 127.0.0.1:5060 clashes with server.sip.listen"
                + " tcp:127.0.0.1:5060"), sip);
    }

    private static Path bigPool() {
        try {
            Path dir = Files.createTempDirectory("pool");
            StringBuilder numbers = new StringBuilder();
            for (int i = 0; i < 1001; i++) {
                numbers.append("+1800555").append(String.format("%04d", i)).append('\n');
            }
            Files.writeString(dir.resolve("big.txt"), numbers);
            return dir.resolve("router.yaml");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
