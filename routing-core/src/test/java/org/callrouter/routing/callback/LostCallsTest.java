package org.callrouter.routing.callback;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.CallbackConfig;
import org.callrouter.routing.config.CallbackTrigger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LostCallsTest {

    private static final CallbackConfig DEFAULTS = new CallbackConfig(true,
            EnumSet.of(CallbackTrigger.NO_ANSWER, CallbackTrigger.BUSY, CallbackTrigger.ABANDONED), 10, 10, 3,
            CallbackConfig.DEFAULT_INTERVALS_MS, java.time.ZoneId.of("UTC"), List.of(), "out");

    static FinishedCall call(FinishedCall.Ending ending, String caller, long ringMs, long talkMs) {
        return new FinishedCall("c1", "solar", caller, "+18005550100", ending, ringMs, talkMs, 1_000_000, false,
                Map.of("utm_source", "google"));
    }

    @Test
    void noAnswerAndBusyAreLost() {
        assertEquals(CallbackTrigger.NO_ANSWER,
                LostCalls.lost(call(FinishedCall.Ending.NO_ANSWER, "+14155550123", 30_000, 0), DEFAULTS, false));
        assertEquals(CallbackTrigger.BUSY,
                LostCalls.lost(call(FinishedCall.Ending.BUSY, "+14155550123", 1000, 0), DEFAULTS, false));
    }

    @Test
    void aCallerWhoHungUpIsLostOnlyAfterRingingLongEnough() {
        assertEquals(CallbackTrigger.ABANDONED,
                LostCalls.lost(call(FinishedCall.Ending.CALLER_HUNG_UP, "+14155550123", 10_000, 0), DEFAULTS, false));
        assertNull(LostCalls.lost(call(FinishedCall.Ending.CALLER_HUNG_UP, "+14155550123", 9_999, 0), DEFAULTS, false));
    }

    @Test
    void aShortAnsweredCallIsLostOnlyWhenAskedFor() {
        FinishedCall shortCall = call(FinishedCall.Ending.ANSWERED, "+14155550123", 2000, 4000);
        assertNull(LostCalls.lost(shortCall, DEFAULTS, false));
        CallbackConfig withShort = new CallbackConfig(true, EnumSet.of(CallbackTrigger.SHORT), 10, 10, 3,
                CallbackConfig.DEFAULT_INTERVALS_MS, java.time.ZoneId.of("UTC"), List.of(), "out");
        assertEquals(CallbackTrigger.SHORT, LostCalls.lost(shortCall, withShort, false));
        assertNull(LostCalls.lost(call(FinishedCall.Ending.ANSWERED, "+14155550123", 2000, 10_000), withShort, false));
        assertNull(LostCalls.lost(call(FinishedCall.Ending.NO_ANSWER, "+14155550123", 2000, 0), withShort, false),
                "no-answer is not in on:");
    }

    @Test
    void refusedBlockedAnonymousAndCallbackCallsAreNeverLost() {
        assertNull(LostCalls.lost(call(FinishedCall.Ending.REFUSED, "+14155550123", 0, 0), DEFAULTS, false));
        assertNull(LostCalls.lost(call(FinishedCall.Ending.NO_ANSWER, "+14155550123", 30_000, 0), DEFAULTS, true));
        assertNull(LostCalls.lost(call(FinishedCall.Ending.NO_ANSWER, null, 30_000, 0), DEFAULTS, false));
        assertNull(LostCalls.lost(call(FinishedCall.Ending.OTHER, "+14155550123", 30_000, 0), DEFAULTS, false));
        FinishedCall callbackTry = new FinishedCall("c2", "solar", "+14155550123", "+18005550100",
                FinishedCall.Ending.NO_ANSWER, 30_000, 0, 1, true, Map.of());
        assertNull(LostCalls.lost(callbackTry, DEFAULTS, false));
    }

    @Test
    void aDisabledOrMissingCallbackCallsNothingBack() {
        CallbackConfig off = new CallbackConfig(false, DEFAULTS.on(), 10, 10, 3, DEFAULTS.intervalsMs(),
                DEFAULTS.zone(), List.of(), null);
        FinishedCall lost = call(FinishedCall.Ending.NO_ANSWER, "+14155550123", 30_000, 0);
        assertNull(LostCalls.lost(lost, off, false));
        assertNull(LostCalls.lost(lost, null, false));
    }
}
