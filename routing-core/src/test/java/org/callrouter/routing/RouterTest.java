package org.callrouter.routing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.RoutingPlan.Outcome;
import org.callrouter.routing.caps.CapWindow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {

    private static final String YAML = """
            sources: [{ id: facebook }, { id: google }]
            handlers:
              - { id: first, uri: "sip:first@127.0.0.1:5080", priority: 1, timeout_seconds: 15, send_digits: "ww12" }
              - { id: off, uri: "sip:off@127.0.0.1", enabled: false }
              - id: office
                uri: sip:office@127.0.0.1
                time_zone: America/New_York
                business_hours: [{ days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }]
              - { id: texas, uri: "sip:texas@127.0.0.1", criteria: ["caller_state == TX"] }
              - { id: adults, uri: "sip:adults@127.0.0.1", criteria: ["caller_state in [CA, NY]", "age >= 18"] }
              - { id: capped, uri: "sip:capped@127.0.0.1", caps: { hourly: 1 } }
              - { id: backup, uri: "sip:backup@127.0.0.1:5081", priority: 2 }
            campaigns:
              - id: auto
                handlers: [first, off, office, texas, adults, capped, backup]
              - id: strict
                reject_anonymous: true
                blocked_callers: ["+14155550199"]
                require: ["caller_country == US"]
                handlers: [backup]
            numbers:
              - { number: "+18005550100", campaign: auto, source: facebook }
              - { number: "+18005550111", campaign: strict, source: google }
            """;

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock("2026-03-14T18:00:00Z"); // Saturday 14:00 in New York
    private Router router;

    @BeforeEach
    void open() {
        router = new Fixture(temp).open(YAML, clock, 7);
    }

    @AfterEach
    void close() {
        router.close();
    }

    private RoutingPlan route(String dialed, String caller, String... tags) {
        CallContext.Builder call = CallContext.builder().dialedNumber(dialed).callerNumber(caller);
        for (int i = 0; i < tags.length; i += 2) {
            call.tag(tags[i], tags[i + 1]);
        }
        return router.route(call.build());
    }

    private static List<String> handlers(RoutingPlan plan) {
        return plan.candidates().stream().map(Candidate::handlerId).toList();
    }

    private static Map<String, String> reasons(RoutingPlan plan) {
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        plan.skipped().forEach(s -> reasons.put(s.handlerId(), s.reason()));
        return reasons;
    }

    @Test
    void ordersByPriorityAndSaysWhyEachHandlerWasSkipped() {
        RoutingPlan plan = route("18005550100", "+14155550100", "age", "30");
        assertEquals(Outcome.ROUTED, plan.outcome());
        assertEquals("auto", plan.campaignId());
        assertEquals("facebook", plan.sourceId());
        assertEquals("+18005550100", plan.dialedNumber());
        assertEquals("+14155550100", plan.callerNumber());
        assertEquals(List.of("backup"), handlers(plan).subList(handlers(plan).size() - 1, handlers(plan).size()));
        assertEquals(List.of("first", "adults", "capped", "backup").size(), handlers(plan).size());
        assertEquals(Map.of("off", "disabled", "office", "closed", "texas", "criteria: caller_state == TX"), reasons(plan));
        Candidate first = plan.candidates().stream().filter(c -> c.handlerId().equals("first")).findFirst().orElseThrow();
        assertEquals(new Candidate("first", "sip:first@127.0.0.1:5080", 15, "ww12", 1, 1), first);

        RoutingPlan minor = route("18005550100", "+14155550100", "age", "17");
        assertEquals("criteria: age >= 18", reasons(minor).get("adults"));
        RoutingPlan noAge = route("18005550100", "+14155550100");
        assertEquals("criteria: age >= 18", reasons(noAge).get("adults"), "a missing tag fails the criterion");
    }

    @Test
    void capsAndHealthAreSkipReasons() {
        RoutingPlan plan = route("+18005550100", "+12125550100");
        Candidate capped = plan.candidates().stream().filter(c -> c.handlerId().equals("capped")).findFirst().orElseThrow();
        assertNotNull(plan.reserve(capped, clock.millis()));
        assertEquals("cap: hourly", reasons(route("+18005550100", "+12125550100")).get("capped"));
        router.health().probeResult("first", false, clock.millis());
        assertTrue(router.health().healthy("first"), "one failure is below the threshold of 2");
        router.health().probeResult("first", false, clock.millis());
        assertEquals("unhealthy", reasons(route("+18005550100", "+12125550100")).get("first"));
        router.health().probeResult("first", true, clock.millis());
        assertNull(reasons(route("+18005550100", "+12125550100")).get("first"));
        clock.set("2026-03-14T19:00:00Z");
        assertNull(reasons(route("+18005550100", "+12125550100")).get("capped"), "a new hour");
    }

    @Test
    void aCapLostBetweenRouteAndReserveIsASkip() {
        RoutingPlan a = route("+18005550100", "+12125550100");
        RoutingPlan b = route("+18005550100", "+12125550100");
        Candidate capped = a.candidates().stream().filter(c -> c.handlerId().equals("capped")).findFirst().orElseThrow();
        assertNotNull(a.reserve(capped, clock.millis()));
        assertNull(b.reserve(capped, clock.millis()));
        assertEquals("cap: hourly", reasons(b).get("capped"));
        assertThrows(IllegalArgumentException.class,
                () -> a.reserve(new Candidate("office", "sip:x", 1, "", 1, 1), clock.millis()));
    }

    @Test
    void openDuringBusinessHoursInTheHandlersZone() {
        clock.set("2026-03-16T13:00:00Z"); // Monday 09:00 EDT
        assertTrue(handlers(route("+18005550100", "+12125550100")).contains("office"));
        clock.set("2026-03-16T12:59:59Z");
        assertEquals("closed", reasons(route("+18005550100", "+12125550100")).get("office"));
        RoutingPlan at = router.route(CallContext.builder().dialedNumber("+18005550100")
                .nowMs(java.time.Instant.parse("2026-03-16T20:59:00Z").toEpochMilli()).build());
        assertTrue(handlers(at).contains("office"), "the call's own time wins over the clock");
    }

    @Test
    void unknownNumbers() {
        RoutingPlan unknown = route("+18005550199", "+12125550100");
        assertEquals(Outcome.UNKNOWN_NUMBER, unknown.outcome());
        assertEquals("+18005550199 is not a tracked number", unknown.rejectionReason());
        assertEquals("+18005550199", unknown.dialedNumber());
        assertTrue(unknown.candidates().isEmpty());
        RoutingPlan garbage = route("not-a-number", null);
        assertEquals(Outcome.UNKNOWN_NUMBER, garbage.outcome());
        assertEquals("dialed number \"not-a-number\" is not a phone number", garbage.rejectionReason());
        assertEquals("not-a-number", garbage.dialedNumber());
        assertNull(garbage.callerNumber());
        RoutingPlan none = router.route(CallContext.builder().callerNumber("+12125550100").build());
        assertEquals(Outcome.UNKNOWN_NUMBER, none.outcome());
        assertEquals("no dialed number", none.rejectionReason());
    }

    @Test
    void numbersOfACampaignNoLongerConfiguredAreUnknown() {
        router.numbers().put("+18005550122", "retired", "facebook");
        RoutingPlan plan = route("+18005550122", null);
        assertEquals(Outcome.UNKNOWN_NUMBER, plan.outcome());
        assertEquals("+18005550122 is tracked for campaign \"retired\", which is not configured", plan.rejectionReason());
    }

    @Test
    void campaignCallerRules() {
        assertEquals("anonymous caller", route("+18005550111", "anonymous").rejectionReason());
        assertEquals("anonymous caller", route("+18005550111", null).rejectionReason());
        RoutingPlan blocked = route("+18005550111", "(415) 555-0199");
        assertEquals(Outcome.REJECTED, blocked.outcome());
        assertEquals("blocked caller", blocked.rejectionReason());
        assertEquals("strict", blocked.campaignId());
        assertEquals("google", blocked.sourceId());
        assertEquals("requirement not met: caller_country == US", route("+18005550111", "+442079460018").rejectionReason());
        assertEquals(Outcome.ROUTED, route("+18005550111", "+14155550100").outcome());
    }

    @Test
    void tagsIncludeTheBuiltIns() {
        RoutingPlan plan = route("18005550100", "415-555-0100", "publisher_id", "P-9", "caller_state", "ignored");
        assertEquals(Map.of("caller_number", "+14155550100", "caller_area_code", "415", "caller_state", "CA",
                "caller_country", "US", "dialed_number", "+18005550100", "source", "facebook", "campaign", "auto",
                "publisher_id", "P-9"), plan.tags());
        RoutingPlan odd = route("18005550100", "unknown-caller");
        assertEquals("unknown-caller", odd.tags().get("caller_number"), "kept as received when not a number");
        assertNull(odd.tags().get("caller_state"));
    }

    @Test
    void explainFormats() {
        RoutingPlan plan = route("18005550100", "+12125550100");
        String json = PlanFormat.json(plan);
        assertTrue(json.startsWith("{\"number\":\"+18005550100\",\"campaign\":\"auto\",\"source\":\"facebook\",\"candidates\":[{\"handler\":"), json);
        assertTrue(json.contains("{\"handler\":\"backup\",\"priority\":2,\"weight\":1}"), json);
        assertTrue(json.contains("\"skipped\":[{\"handler\":\"off\",\"reason\":\"disabled\"}"), json);
        String text = PlanFormat.text(plan);
        assertTrue(text.contains("caller:   +12125550100 (NY, US)"), text);
        assertTrue(text.contains("  office: closed"), text);
        assertTrue(PlanFormat.json(route("+18005550111", null)).contains("\"rejected\":\"anonymous caller\""));
    }

    @Test
    void skipReasonsOfHandlersWithManyCriteria(@TempDir Path other) {
        StringBuilder criteria = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            criteria.append(i == 0 ? "" : ", ").append("\"t").append(i).append(" missing\"");
        }
        try (Router many = new Fixture(other).open("""
                sources: [{ id: s }]
                handlers: [{ id: picky, uri: "sip:p@h", criteria: [CRITERIA] }]
                campaigns: [{ id: c, handlers: [picky] }]
                numbers: [{ number: "+18005550100", campaign: c, source: s }]
                """.replace("CRITERIA", criteria), clock, 1)) {
            RoutingPlan plan = many.route(CallContext.builder().dialedNumber("+18005550100").tag("t149", "x").build());
            assertEquals(List.of(new Skip("picky", "criteria: t149 missing")), plan.skipped());
        }
    }

    @Test
    void capUsageAndReset() {
        RoutingPlan plan = route("+18005550100", "+12125550100");
        Candidate capped = plan.candidates().stream().filter(c -> c.handlerId().equals("capped")).findFirst().orElseThrow();
        Reservation reservation = plan.reserve(capped, clock.millis());
        List<CapUsage> usage = router.capUsage("capped", clock.millis());
        assertEquals(new CapUsage("concurrency", -1, 1), usage.get(0));
        assertEquals(new CapUsage("hourly", 1, 1), usage.get(1));
        assertEquals(0, usage.get(1).remaining());
        reservation.failed(clock.millis());
        assertEquals(0, router.capUsage("capped", clock.millis()).get(0).used());
        router.resetCap("capped", CapWindow.HOURLY);
        assertEquals(1, router.capUsage("capped", clock.millis()).get(1).remaining());
        assertThrows(IllegalArgumentException.class, () -> router.capUsage("nobody", 0));
    }
}
