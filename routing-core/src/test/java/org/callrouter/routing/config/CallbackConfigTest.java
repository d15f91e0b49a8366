package org.callrouter.routing.config;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CallbackConfigTest {

    private static final String MODEL = """
            sources: [ { id: web } ]
            handlers: [ { id: h, uri: "sip:h@127.0.0.1:5080" } ]
            numbers: [ { number: "+18005550100", campaign: solar, source: web } ]
            trunks: [ { id: out, uri: "sip:127.0.0.1:5070", caller_id: "+18005550100" } ]
            """;

    private static RouterConfig load(String campaign) throws ConfigException {
        return ConfigLoader.parse(MODEL + "campaigns:\n  - id: solar\n    handlers: [h]\n" + campaign,
                Path.of("router.yaml"));
    }

    private static List<String> errors(String campaign) {
        return assertThrows(ConfigException.class, () -> load(campaign)).errors().stream()
                .map(ConfigError::toString).toList();
    }

    @Test
    void readsDefaults() throws ConfigException {
        CallbackConfig callback = load("""
                    callback: { enabled: true, trunk: out }
                """).campaign("solar").orElseThrow().callback();
        assertEquals(new CallbackConfig(true, EnumSet.of(CallbackTrigger.NO_ANSWER, CallbackTrigger.BUSY,
                CallbackTrigger.ABANDONED), 10, 10, 3, List.of(120_000L, 900_000L, 3_600_000L), ZoneId.of("UTC"),
                List.of(), "out"), callback);
    }

    @Test
    void campaignWithoutCallbackHasNone() throws ConfigException {
        assertNull(load("").campaign("solar").orElseThrow().callback());
    }

    @Test
    void readsEverySettingWithSecondIntervalsForTests() throws ConfigException {
        CallbackConfig callback = load("""
                    callback:
                      enabled: true
                      on: [no-answer, short]
                      abandoned_after_seconds: 5
                      short_under_seconds: 20
                      attempts: 4
                      intervals: [2s, 3s]
                      time_zone: America/New_York
                      within_hours: [ { days: [mon, tue], open: "09:00", close: "17:00" } ]
                      trunk: out
                """).campaign("solar").orElseThrow().callback();
        assertEquals(Set.of(CallbackTrigger.NO_ANSWER, CallbackTrigger.SHORT), callback.on());
        assertEquals(List.of(2000L, 3000L), callback.intervalsMs());
        assertEquals(2000L, callback.intervalBeforeMs(1));
        assertEquals(3000L, callback.intervalBeforeMs(2));
        assertEquals(3000L, callback.intervalBeforeMs(4), "the last interval repeats");
        assertEquals(ZoneId.of("America/New_York"), callback.zone());
        assertEquals(List.of(new HoursRange(Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY), 540, 1020)),
                callback.withinHours());
        assertEquals(4, callback.attempts());
        assertEquals(20, callback.shortUnderSeconds());
        assertEquals(5, callback.abandonedAfterSeconds());
    }

    @Test
    void badSettingsAreErrorsWithFileLineColumnAndPath() {
        assertEquals(List.of(
                "router.yaml:9:7: campaigns[0].callback.trunk: is required",
                "router.yaml:10:18: campaigns[0].callback.on[1]: expected no-answer, busy, abandoned or short, got \"hangup\"",
                "router.yaml:11:17: campaigns[0].callback.attempts: must be <= 10, got 11",
                "router.yaml:12:23: campaigns[0].callback.intervals[1]: unknown unit 'x' in \"5x\" (use s, m, h, d, w or forever)",
                "router.yaml:12:27: campaigns[0].callback.intervals[2]: must be at most 30d, got \"forever\"",
                "router.yaml:13:18: campaigns[0].callback.time_zone: unknown time zone \"Mars/Base\"; use an IANA name such as America/New_York",
                "router.yaml:14:44: campaigns[0].callback.within_hours[0].open: expected a time HH:MM such as \"09:00\", got \"9am\"",
                "router.yaml:15:7: campaigns[0].callback.trunks: unknown key (did you mean 'trunk'?)"),
                errors("""
                    callback:
                      enabled: true
                      on: [busy, hangup]
                      attempts: 11
                      intervals: [2m, 5x, forever]
                      time_zone: Mars/Base
                      within_hours: [ { days: [mon], open: "9am", close: "17:00" } ]
                      trunks: out
                """));
    }

    @Test
    void moreIntervalsThanAttemptsIsAnError() {
        assertEquals(List.of("router.yaml:11:18: campaigns[0].callback.intervals: 3 intervals but attempts=2;"
                        + " the intervals after the last try would never be used"),
                errors("""
                    callback:
                      enabled: true
                      attempts: 2
                      intervals: [1m, 2m, 3m]
                      trunk: out
                """));
    }

    @Test
    void theTrunkMustBeATrunkOfTrunks() {
        assertEquals(List.of("router.yaml:8:39: campaigns[0].callback.trunk: unknown trunk \"carrier\" (defined: out)"),
                errors("""
                    callback: { enabled: true, trunk: carrier }
                """));
    }

    @Test
    void aCallbackWebhookEventIsAccepted() throws ConfigException {
        WebhookConfig hook = load("""
                    webhooks: [ { on: [callback_scheduled, callback_gave_up], url: "https://crm.example/cb" } ]
                """).campaign("solar").orElseThrow().webhooks().get(0);
        assertEquals(Set.of(WebhookEvent.CALLBACK_SCHEDULED, WebhookEvent.CALLBACK_GAVE_UP), hook.on());
    }
}
