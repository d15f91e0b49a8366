package org.callrouter.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.pool.Allocation;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.SessionRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls to pool numbers: the visitor's tags on the call, and leases that outlive the router process. */
class PoolRoutingTest {

    static final String YAML = """
            sources: [ { id: web }, { id: google-ads } ]
            handlers: [ { id: h, uri: "sip:h@127.0.0.1:5080", criteria: ["utm_source == google"] } ]
            campaigns:
              - id: solar
                handlers: [h]
                pools:
                  - id: solar-web
                    numbers: ["+18005550200", "+18005550201", "+18005550202"]
                    source: web
                    overflow_number: "+18005550299"
                    source_rule: { google: google-ads }
            """;
    static final String NUMBER = "+18005550200";

    @TempDir
    Path temp;

    static SessionRequest visitor(String gclid) {
        return new SessionRequest("https://solar.example/?gclid=" + gclid, null, "google", "cpc", null, null, null,
                gclid, null, null, null, null, null, null, List.of(), Map.of());
    }

    @Test
    void aCallToAHeldNumberCarriesTheVisitorsTagsAndSource() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(YAML, clock, 1)) {
            Allocation a = router.pools().create("solar-web", null, visitor("g-1"), "10.0.0.1", clock.millis());
            assertEquals(NUMBER, a.number());
            RoutingPlan plan = router.route(CallContext.builder().dialedNumber("8005550200").callerNumber("+14155550100")
                    .tag("gclid", "from-carrier").tag("caller_number", "spoofed").build());
            assertEquals(RoutingPlan.Outcome.ROUTED, plan.outcome());
            assertEquals("google-ads", plan.sourceId());
            assertEquals(1, plan.candidates().size(), "criteria see the visitor's utm_source");
            Map<String, String> tags = plan.tags();
            assertEquals("from-carrier", tags.get("gclid"), "a carrier's tag is not replaced by a visitor's");
            assertEquals("+14155550100", tags.get("caller_number"));
            assertEquals("google-ads", tags.get("source"));
            assertEquals("google", tags.get("utm_source"));
            assertEquals("solar-web", tags.get("pool"));
            assertEquals(a.sessionId(), tags.get("visitor_session"));
            assertEquals("https://solar.example/?gclid=g-1", tags.get("landing_page"));
            assertEquals(a.sessionId(), plan.attribution().sessionId());
            assertEquals(List.of("https://solar.example/?gclid=g-1"), plan.attribution().pagePath());

            RoutingPlan free = router.route(Fixture.call("+18005550201", "+14155550100"));
            assertEquals("web", free.sourceId(), "no session: the pool's source");
            assertEquals("solar-web", free.tags().get("pool"));
            assertNull(free.attribution().sessionId());
            assertEquals(0, free.candidates().size());

            RoutingPlan overflow = router.route(Fixture.call("+18005550299", "+14155550100"));
            assertEquals(RoutingPlan.Outcome.ROUTED, overflow.outcome());
            assertEquals("true", overflow.tags().get("pool_exhausted"));
            assertEquals("web", overflow.sourceId());
            assertTrue(router.numbers().find(NUMBER).isPresent(), "pool numbers are tracked numbers");
            assertEquals("solar", router.numbers().find("+18005550299").orElseThrow().campaign());
        }
    }

    @Test
    void anExplainingRouterKnowsPoolNumbersButNoSessions() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        try (Router router = fixture.open(YAML, clock, 1)) {
            router.pools().create("solar-web", null, visitor("g-1"), "10.0.0.1", clock.millis());
            try (Router explain = Router.openReadOnly(fixture.config(YAML), clock, Fixture.random(1))) {
                RoutingPlan plan = explain.route(Fixture.call(NUMBER, "+14155550100"));
                assertEquals(RoutingPlan.Outcome.ROUTED, plan.outcome());
                assertEquals("solar", plan.campaignId());
                assertEquals("solar-web", plan.tags().get("pool"));
            }
        }
    }

    @Test
    void leasesAndGraceWindowsSurviveARestartAndAReload() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        String a;
        String b;
        try (Router router = fixture.open(YAML, clock, 1)) {
            PoolSessions pools = router.pools();
            a = pools.create("solar-web", null, visitor("g-a"), "10.0.0.1", clock.millis()).sessionId();
            b = pools.create("solar-web", null, visitor("g-b"), "10.0.0.2", clock.millis()).sessionId();
            StringBuilder longUrl = new StringBuilder("https://solar.example/?q=");
            while (longUrl.length() < SessionRequest.LIMITS.maxUrlChars()) {
                longUrl.append('x');
            }
            for (int i = 0; i < 20; i++) {
                assertTrue(pools.pageView(a, longUrl.substring(0, longUrl.length() - 3) + (100 + i), clock.millis()),
                        "the largest session fits the store");
            }
            clock.advanceMs(60_000);
            assertTrue(pools.release(b, clock.millis()));
        }
        clock.advanceMs(60_000);
        try (Router router = fixture.open(YAML, clock, 1)) {
            PoolSessions pools = router.pools();
            assertEquals(Allocation.Status.RENEWED, pools.renew(a, clock.millis()).status());
            assertEquals(20, router.route(Fixture.call(NUMBER, null)).attribution().pagePath().size());
            assertEquals(b, router.route(Fixture.call("+18005550201", null)).tags().get("visitor_session"),
                    "b released its number a minute ago: within the grace window");
            assertEquals("+18005550202", pools.create("solar-web", null, visitor("g-c"), "10.0.0.3", clock.millis())
                    .number(), "the number in b's grace window waits while another is free");

            router.reload(fixture.config(YAML.replace("\"+18005550201\", ", "")));
            assertEquals(Allocation.Status.RENEWED, pools.renew(a, clock.millis()).status(), "a reload keeps leases");
            assertEquals(RoutingPlan.Outcome.QUARANTINED, router.route(Fixture.call("+18005550201", null)).outcome());
            assertEquals(2, pools.sessionCount(), "b's session went with its number");
            // The removed number is quarantined; the operator takes it back (forced) to reuse it.
            router.quarantine().release(18005550201L);
        }
        clock.advanceMs(3_600_000);
        try (Router router = fixture.open(YAML, clock, 1)) {
            assertEquals(Allocation.Status.UNKNOWN_SESSION, router.pools().renew(a, clock.millis()).status());
            assertEquals(0, router.pools().sessionCount(), "ended sessions are removed from the store when it opens");
            assertEquals(3, router.pools().status(clock.millis()).get(0).free());
        }
    }

    @Test
    void aRenewalIsWrittenOnceItMovesTheLeaseByATenth() {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        long start = clock.millis();
        String a;
        String b;
        try (Router router = fixture.open(YAML, clock, 1)) {
            a = router.pools().create("solar-web", null, visitor("g-a"), null, start).sessionId();
            b = router.pools().create("solar-web", null, visitor("g-b"), null, start).sessionId();
            // A heartbeat a minute in moves the lease by less than a tenth of 30 minutes: not written.
            assertEquals(start + 31 * 60_000, router.pools().renew(a, start + 60_000).expiresAtMs());
            // Four minutes in, it has moved by more: written.
            assertEquals(start + 34 * 60_000, router.pools().renew(b, start + 4 * 60_000).expiresAtMs());
        }
        clock.advanceMs(30 * 60_000 + 1000);
        try (Router router = fixture.open(YAML, clock, 1)) {
            assertEquals(Allocation.Status.UNKNOWN_SESSION, router.pools().renew(a, clock.millis()).status(),
                    "a restart cut a's lease short by its unwritten minute");
            assertEquals(Allocation.Status.RENEWED, router.pools().renew(b, clock.millis()).status());
        }
    }

    @Test
    void visitorsPerHourDoNotGrowTheStoreBeyondThePoolsNumbers() throws ConfigException {
        Fixture fixture = new Fixture(temp);
        TestClock clock = new TestClock("2026-06-01T12:00:00Z");
        StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            numbers.append(i == 0 ? "" : ", ").append("\"+1800556").append(String.format("%04d", i)).append('"');
        }
        String yaml = YAML.replace("[\"+18005550200\", \"+18005550201\", \"+18005550202\"]", "[" + numbers + "]");
        RouterConfig config = ConfigLoader.parse("server: { data_dir: \"" + fixture.dataDir()
                + "\", stores: { max_sessions: 1000 } }\n" + yaml, Path.of("test.yaml"));
        try (Router router = Router.open(config, clock, Fixture.random(1))) {
            PoolSessions pools = router.pools();
            // 20,000 visitors in an hour (a million an hour scaled to a 1,000-number pool), each
            // leaving after two minutes: every number is reused many times.
            List<String> open = new ArrayList<>();
            int created = 0;
            for (int i = 0; i < 20_000; i++) {
                clock.advanceMs(180);
                Allocation a = pools.create("solar-web", null, visitor("g" + i), null, clock.millis());
                if (a.status() == Allocation.Status.CREATED) {
                    created++;
                    open.add(a.sessionId());
                }
                if (open.size() > 667) {
                    assertTrue(pools.release(open.remove(0), clock.millis()));
                }
            }
            assertEquals(20_000, created, "the pool was never exhausted");
            long stored = router.storeCapacities().stream().filter(c -> c.name().equals("sessions")).findFirst()
                    .orElseThrow().entries();
            assertTrue(stored <= 1000, "sessions kept: " + stored);
            assertEquals(stored, pools.sessionCount());
        }
    }

    @Test
    void leasesSurviveAKill9() throws Exception {
        Path config = temp.resolve("router.yaml");
        Files.writeString(config, "server: { data_dir: \"" + temp.resolve("data") + "\" }\n" + YAML);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PoolChild.class.getName(),
                config.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String session = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (session == null && (line = reader.readLine()) != null) {
                output.add(line);
                if (line.startsWith("session ")) {
                    session = line.substring("session ".length());
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child is killed");
        }
        assertTrue(session != null, () -> "the child created a session: " + output);
        assertFalse(child.isAlive());
        TestClock clock = new TestClock(PoolChild.NOW);
        clock.advanceMs(60_000);
        try (Router router = Router.open(ConfigLoader.load(config), clock, Fixture.random(1))) {
            assertEquals(new Allocation(Allocation.Status.RENEWED, session, NUMBER, clock.millis() + 1_800_000),
                    router.pools().renew(session, clock.millis()));
            assertEquals("g-kill", router.route(Fixture.call(NUMBER, null)).tags().get("gclid"));
        }
    }

    /** Run in a separate JVM by {@link #leasesSurviveAKill9}: creates a session, says so, and waits to be killed. */
    public static final class PoolChild {

        static final String NOW = "2026-06-01T12:00:00Z";

        private PoolChild() {
        }

        public static void main(String[] args) throws Exception {
            Router router = Router.open(ConfigLoader.load(Path.of(args[0])), new TestClock(NOW), Fixture.random(1));
            Allocation a = router.pools().create("solar-web", null, visitor("g-kill"), "10.0.0.1",
                    new TestClock(NOW).millis());
            System.out.println("session " + a.sessionId());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
