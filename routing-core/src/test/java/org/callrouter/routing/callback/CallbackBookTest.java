package org.callrouter.routing.callback;

import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.CallbackConfig;
import org.callrouter.routing.config.CallbackTrigger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallbackBookTest {

    private static final String CUSTOMER = "+14155550123";
    private static final CallbackConfig CONFIG = new CallbackConfig(true,
            EnumSet.of(CallbackTrigger.NO_ANSWER, CallbackTrigger.BUSY), 10, 10, 3, List.of(2000L, 5000L, 9000L),
            ZoneId.of("UTC"), List.of(), "out");

    private static FinishedCall lost(String id, String caller, long endedMs) {
        return new FinishedCall(id, "solar", caller, "+18005550100", FinishedCall.Ending.NO_ANSWER, 30_000, 0,
                endedMs, false, Map.of("utm_source", "google"));
    }

    private static Callback dialNext(CallbackBook book, long nowMs) {
        List<Callback> due = book.takeDue(nowMs, 10, campaign -> CONFIG);
        assertEquals(1, due.size(), "one try due at " + nowMs);
        assertEquals(CallbackState.DIALING, due.get(0).state());
        return due.get(0);
    }

    @Test
    void aLostCallIsScheduledAtTheFirstInterval() {
        CallbackBook book = new CallbackBook(List.of());
        Callback cb = book.onFinished(lost("c1", CUSTOMER, 1000), CONFIG, false, "cb1");
        assertEquals(CallbackState.PENDING, cb.state());
        assertEquals(3000, cb.nextTryMs());
        assertEquals(0, cb.tries());
        assertEquals("c1", cb.lostCallId());
        assertEquals(Map.of("utm_source", "google"), cb.tags());
        assertEquals(3000, book.nextDueMs());
        assertTrue(book.takeDue(2999, 10, c -> CONFIG).isEmpty(), "not due yet");
    }

    @Test
    void oneLiveCallbackPerCampaignAndCaller() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 1000), CONFIG, false, "cb1");
        assertNull(book.onFinished(lost("c2", CUSTOMER, 1500), CONFIG, false, "cb2"));
        assertEquals("cb3", book.onFinished(lost("c3", "+14155550999", 1500), CONFIG, false, "cb3").id());
        assertEquals(2, book.size());
    }

    @Test
    void aCustomerWhoDoesNotAnswerTwiceIsRetriedAtEachIntervalThenConnects() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 0), CONFIG, false, "cb1");
        Callback first = dialNext(book, 2000);
        assertEquals(1, first.tries());
        Callback retry = book.onTry("cb1", TryResult.NOT_REACHED, "t1", "customer-no-answer", CONFIG, 10_000);
        assertEquals(CallbackState.PENDING, retry.state());
        assertEquals(15_000, retry.nextTryMs(), "second interval after the try's end");
        dialNext(book, 15_000);
        Callback again = book.onTry("cb1", TryResult.NOT_REACHED, "t2", "customer-busy", CONFIG, 20_000);
        assertEquals(29_000, again.nextTryMs());
        Callback third = dialNext(book, 29_000);
        assertEquals(3, third.tries());
        Callback connected = book.onTry("cb1", TryResult.CONNECTED, "t3", null, CONFIG, 31_000);
        assertEquals(CallbackState.CONNECTED, connected.state());
        assertEquals("t3", connected.lastCallId());
        assertEquals(0, book.size(), "finished callbacks leave the book");
        assertEquals(Long.MAX_VALUE, book.nextDueMs());
    }

    @Test
    void givesUpAfterTheLastTry() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 0), CONFIG, false, "cb1");
        long now = 2000;
        Callback last = null;
        for (int i = 0; i < 3; i++) {
            dialNext(book, now);
            last = book.onTry("cb1", TryResult.NOT_REACHED, "t" + i, "no-handler", CONFIG, now + 1);
            now = last.nextTryMs();
        }
        assertEquals(CallbackState.GAVE_UP, last.state());
        assertEquals(3, last.tries());
        assertEquals("gave up after 3 tries; last: no-handler", last.reason());
        assertNull(book.get("cb1"));
        assertTrue(book.onFinished(lost("c9", CUSTOMER, now), CONFIG, false, "cb2") != null,
                "a new lost call of the same caller may schedule again");
    }

    @Test
    void aBusyTrunkIsRetriedSoonWithoutSpendingATry() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 0), CONFIG, false, "cb1");
        dialNext(book, 2000);
        Callback busy = book.onTry("cb1", TryResult.TRUNK_BUSY, null, "trunk busy", CONFIG, 2000);
        assertEquals(CallbackState.PENDING, busy.state());
        assertEquals(0, busy.tries());
        assertEquals(4000, busy.nextTryMs(), "the first interval, being under 30 s");
    }

    @Test
    void aFailedTrunkGivesUpAtOnceWithTheReason() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 0), CONFIG, false, "cb1");
        dialNext(book, 2000);
        Callback failed = book.onTry("cb1", TryResult.TRUNK_FAILED, null, "403 Forbidden", CONFIG, 2100);
        assertEquals(CallbackState.GAVE_UP, failed.state());
        assertEquals("trunk failed: 403 Forbidden", failed.reason());
    }

    @Test
    void anAnsweredCallOfTheCallerCancelsItsPendingCallbackButNotOneBeingDialed() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 0), CONFIG, false, "cb1");
        assertNull(book.onAnswered("other-campaign", CUSTOMER, "c2", 500));
        Callback cancelled = book.onAnswered("solar", CUSTOMER, "c2", 500);
        assertEquals(CallbackState.CANCELLED, cancelled.state());
        assertTrue(cancelled.reason().contains("c2"));
        assertEquals(0, book.size());

        book.onFinished(lost("c3", CUSTOMER, 1000), CONFIG, false, "cb2");
        dialNext(book, 3000);
        assertNull(book.onAnswered("solar", CUSTOMER, "c4", 3100));
        assertThrows(IllegalStateException.class, () -> book.cancel("cb2", "operator", 3100));
    }

    @Test
    void aSpamMarkCancelsTheCallersPendingCallbacksInEveryCampaignButNotOneBeingDialed() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 100), CONFIG, false, "cb1");
        book.onFinished(new FinishedCall("c2", "roofing", CUSTOMER, "+18005550101", FinishedCall.Ending.BUSY, 0, 0,
                100, false, Map.of()), CONFIG, false, "cb2");
        book.onFinished(lost("c3", "+14155550999", 0), CONFIG, false, "cb3");
        book.onFinished(lost("c4", "+14155550888", 100), CONFIG, false, "cb4");
        List<Callback> dialing = book.takeDue(2000, 10, c -> CONFIG);
        assertEquals(List.of("cb3"), dialing.stream().map(Callback::id).toList());

        List<Callback> cancelled = book.onSpam(CUSTOMER, 2500);
        assertEquals(List.of("cb1", "cb2"), cancelled.stream().map(Callback::id).sorted().toList());
        for (Callback cb : cancelled) {
            assertEquals(CallbackState.CANCELLED, cb.state());
            assertEquals("spam", cb.reason());
            assertEquals(2500, cb.updatedMs());
        }
        assertTrue(book.onSpam("+14155550999", 2600).isEmpty(), "a try being placed goes on");
        assertTrue(book.onSpam(null, 2600).isEmpty());
        assertEquals(2, book.size());
        assertNull(book.get("cb1"));
    }

    @Test
    void anOperatorCancelsAPendingCallback() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 0), CONFIG, false, "cb1");
        assertEquals(CallbackState.CANCELLED, book.cancel("cb1", "by ops", 10).state());
        assertNull(book.cancel("cb1", "again", 20), "no longer live");
    }

    @Test
    void aCampaignThatNoLongerCallsBackCancelsItsDueCallbacks() {
        CallbackBook book = new CallbackBook(List.of());
        book.onFinished(lost("c1", CUSTOMER, 0), CONFIG, false, "cb1");
        List<Callback> due = book.takeDue(5000, 10, campaign -> null);
        assertEquals(CallbackState.CANCELLED, due.get(0).state());
        assertEquals("callbacks are turned off for campaign solar", due.get(0).reason());
    }

    @Test
    void aTryInterruptedByAStopCountsAsNotReached() {
        Callback dialing = new Callback("cb1", "solar", CUSTOMER, "+18005550100", "c1", CallbackTrigger.NO_ANSWER,
                Map.of(), CallbackState.DIALING, 1, 2000, 0, 2000, "placing try 1", null);
        Callback done = new Callback("cb2", "solar", "+14155550999", "+18005550100", "c2", CallbackTrigger.BUSY,
                Map.of(), CallbackState.CONNECTED, 1, 2000, 0, 2000, "connected", "t1");
        CallbackBook book = new CallbackBook(List.of(dialing, done));
        assertEquals(1, book.size(), "finished callbacks are not loaded");
        List<Callback> recovered = book.recoverInterrupted(campaign -> CONFIG, 60_000);
        assertEquals(1, recovered.size());
        assertEquals(CallbackState.PENDING, recovered.get(0).state());
        assertEquals(65_000, recovered.get(0).nextTryMs());
        assertEquals("the router stopped during try 1", recovered.get(0).reason());
    }

    @Test
    void aTransitionTheStateDoesNotAllowIsRefused() {
        Callback done = new Callback("cb2", "solar", CUSTOMER, "+18005550100", "c2", CallbackTrigger.BUSY,
                Map.of(), CallbackState.GAVE_UP, 3, 2000, 0, 2000, "gave up", "t1");
        assertThrows(IllegalStateException.class, () -> done.state(CallbackState.DIALING, 4, 0, "x", null, 1));
    }
}
