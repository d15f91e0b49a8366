package org.callrouter.server.admin;

import java.util.Map;

import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code GET /v1/live} counts, fed records as the emitter would. */
class LiveCallsTest {

    private static final long T0 = 1_773_064_800_000L; // 2026-03-09T14:00:00Z

    /** A record read back from a journal line, so the test needs no access to its fields. */
    private static CallRecord record(String campaign, String status, long receivedMs, Long answeredMs, long endedMs) {
        final String json = ("{\"record\":\"call\",\"id\":\"c1\",\"key\":\"k\",\"status\":\"%s\",\"sip_status\":200,"
                + "\"reason\":null,\"campaign\":%s,\"source\":\"web\",\"caller\":\"+14155550100\","
                + "\"dialed\":\"+18005550100\",\"received_at\":\"%s\",\"answered_at\":%s,\"ended_at\":\"%s\","
                + "\"ring_seconds\":0,\"talk_seconds\":0,\"handler\":null,\"converted\":false,\"revenue\":0,"
                + "\"payout\":0,\"conversion\":null,\"attempts\":[],\"skipped\":[],\"tags\":{},"
                + "\"routing_seconds\":0.000012}").formatted(status,
                campaign == null ? "null" : "\"" + campaign + "\"", RecordJson.time(receivedMs),
                answeredMs == null ? "null" : "\"" + RecordJson.time(answeredMs) + "\"", RecordJson.time(endedMs));
        try {
            return RecordJson.read(RecordJson.parse(json));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void countsCallsUpAndTheLastMinutePerCampaign() {
        final LiveCalls live = new LiveCalls();
        final CallRecord answered = record("sales", "completed", T0, T0 + 2_000, T0 + 10_000);
        final CallRecord busy = record("sales", "busy", T0 + 1_000, null, T0 + 3_000);
        final CallRecord untracked = record(null, "rejected", T0 + 1_500, null, T0 + 1_500);
        final CallRecord ringing = record("support", "in-progress", T0 + 4_000, null, T0 + 4_000);
        live.onStarted(answered);
        live.onStarted(busy);
        live.onStarted(untracked);
        live.onEnded(untracked);
        live.onStarted(ringing);
        live.onEnded(busy);

        Map<String, LiveCalls.Campaign> now = live.campaigns(T0 + 5_000);
        assertEquals(1, now.get("sales").callsUp());
        assertEquals(1, now.get("support").callsUp());
        assertEquals(0, now.get("").callsUp());
        assertEquals(0.0, now.get("sales").rates().answerRate());
        assertEquals(2, live.total(T0 + 5_000).callsUp());
        assertEquals(4.0 / LiveCalls.WINDOW_SECONDS, live.total(T0 + 5_000).rates().callsPerSecond(), 1e-9);

        live.onEnded(answered);
        now = live.campaigns(T0 + 11_000);
        assertEquals(0, now.get("sales").callsUp());
        assertEquals(0.5, now.get("sales").rates().answerRate(), 1e-9);
        // A minute later the window is empty; calls still up stay up.
        final LiveCalls.Campaign later = live.total(T0 + 5 * 60_000);
        assertEquals(1, later.callsUp());
        assertEquals(0, later.rates().arrived());
        assertTrue(Double.isNaN(later.rates().answerRate()));
    }

    @Test
    void anEndWithoutAStartNeverMakesTheCountNegative() {
        final LiveCalls live = new LiveCalls();
        live.onEnded(record("sales", "interrupted", T0, T0 + 1_000, T0 + 2_000));
        assertEquals(0, live.total(T0 + 3_000).callsUp());
        assertEquals(0, live.campaigns(T0 + 3_000).get("sales").callsUp());
    }
}
