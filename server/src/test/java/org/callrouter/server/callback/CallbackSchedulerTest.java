package org.callrouter.server.callback;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.callrouter.routing.TestClock;
import org.callrouter.routing.callback.Callback;
import org.callrouter.routing.callback.CallbackState;
import org.callrouter.routing.callback.FinishedCall;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.server.TestConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler on a real Chronicle Map store, stepped by hand with its own clock; the dialer is a stub. */
class CallbackSchedulerTest {

    private static final String CUSTOMER = "+14155550123";

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock("2026-06-01T12:00:00Z");
    private final List<Throwable> errors = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final RecordingDialer dialer = new RecordingDialer();
    private CallbackStore store;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
        assertEquals(List.of(), errors);
    }

    private RouterConfig config() {
        return TestConfig.load(dir.resolve("conf"), """
                sources: [ { id: web } ]
                handlers: [ { id: h, uri: "sip:h@127.0.0.1:5080" } ]
                campaigns:
                  - id: solar
                    handlers: [h]
                    blocked_callers: ["+14155550666"]
                    callback: { enabled: true, attempts: 3, intervals: [2s, 5s, 9s], trunk: out }
                  - id: plain
                    handlers: [h]
                numbers:
                  - { number: "+18005550100", campaign: solar, source: web }
                  - { number: "+18005550101", campaign: plain, source: web }
                trunks: [ { id: out, uri: "sip:127.0.0.1:5070", caller_id: "+18005550100" } ]
                """);
    }

    private CallbackScheduler scheduler() {
        final RouterConfig config = config();
        if (store == null) {
            store = CallbackStore.open(dir.resolve("data"), errors::add);
        }
        final CallbackScheduler scheduler = new CallbackScheduler(() -> config, clock, errors::add,
                List.of((event, c) -> events.add(switch (event) {
                    case SCHEDULED -> "scheduled " + c.id();
                    case ATTEMPT -> "attempt " + c.tries();
                    case CONNECTED -> "connected " + c.lastCallId();
                    case GAVE_UP -> "gave-up " + c.reason();
                    case CANCELLED -> "cancelled";
                    case RETRY -> "retry " + c.tries();
                })));
        scheduler.load(store, dialer);
        return scheduler;
    }

    private FinishedCall lost(String campaign, String caller) {
        return new FinishedCall("c-lost", campaign, caller, "+18005550100", FinishedCall.Ending.NO_ANSWER, 30_000, 0,
                clock.millis(), false, Map.of("utm_source", "google"));
    }

    @Test
    void aLostCallIsStoredThenDialedWithItsRequestAndConnects() {
        final CallbackScheduler scheduler = scheduler();
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.step(clock.millis());
        final Callback scheduled = store.all().get(0);
        assertEquals(CallbackState.PENDING, scheduled.state());
        assertEquals(clock.millis() + 2000, scheduled.nextTryMs());
        assertEquals(List.of("scheduled " + scheduled.id()), events);

        clock.advanceMs(1999);
        scheduler.step(clock.millis());
        assertEquals(0, dialer.requests.size(), "not due yet");
        clock.advanceMs(1);
        scheduler.step(clock.millis());
        assertEquals(List.of(new CallbackRequest(scheduled.id(), "c-lost", 1, "solar", "+18005550100", CUSTOMER,
                "out", Map.of("utm_source", "google"))), dialer.requests);
        assertEquals(CallbackState.DIALING, store.get(scheduled.id()).state());

        dialer.answer(0, new CallbackOutcome(CallbackOutcome.Result.CONNECTED, "c-try1", "joined"));
        scheduler.step(clock.millis());
        assertEquals(CallbackState.CONNECTED, store.get(scheduled.id()).state());
        assertEquals(List.of("scheduled " + scheduled.id(), "attempt 1", "connected c-try1"), events);
        assertEquals(0, scheduler.live());
    }

    @Test
    void aSpamMarkOfTheCallerCancelsItsPendingCallbackDurablyAndAnnouncesIt() {
        final CallbackScheduler scheduler = scheduler();
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.onFinished(lost("solar", "+14155550999"));
        scheduler.step(clock.millis());
        final Callback other = store.all().stream().filter(c -> !c.customer().equals(CUSTOMER)).findFirst()
                .orElseThrow();
        events.clear();

        scheduler.onSpam(CUSTOMER);
        scheduler.step(clock.millis());
        assertEquals(List.of("cancelled"), events);
        final Callback cancelled = store.all().stream().filter(c -> c.customer().equals(CUSTOMER)).findFirst()
                .orElseThrow();
        assertEquals(CallbackState.CANCELLED, cancelled.state());
        assertEquals("spam", cancelled.reason());
        assertEquals(CallbackState.PENDING, store.get(other.id()).state(), "another caller's callback stays");
        assertEquals(1, scheduler.live());
        clock.advanceMs(2000);
        scheduler.step(clock.millis());
        assertEquals(List.of("+14155550999"), dialer.requests.stream().map(CallbackRequest::customer).toList(),
                "only the other caller is dialed");
    }

    @Test
    void aCustomerWhoDoesNotAnswerIsRetriedThenGivenUpAfterTheLastTry() {
        final CallbackScheduler scheduler = scheduler();
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.step(clock.millis());
        final long[] waits = {2000, 5000, 9000};
        for (int i = 0; i < 3; i++) {
            clock.advanceMs(waits[i]);
            scheduler.step(clock.millis());
            assertEquals(i + 1, dialer.requests.size());
            assertEquals(i + 1, dialer.requests.get(i).attempt());
            dialer.answer(i, new CallbackOutcome(CallbackOutcome.Result.CUSTOMER_NO_ANSWER, "c-try" + i, "480"));
            scheduler.step(clock.millis());
        }
        final Callback done = store.all().get(0);
        assertEquals(CallbackState.GAVE_UP, done.state());
        assertEquals("gave up after 3 tries; last: customer-no-answer: 480", done.reason());
        assertEquals("gave-up gave up after 3 tries; last: customer-no-answer: 480", events.get(events.size() - 1));
    }

    @Test
    void aBusyTrunkIsNotATryAndAFailedTrunkGivesUp() {
        final CallbackScheduler scheduler = scheduler();
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.step(clock.millis());
        clock.advanceMs(2000);
        scheduler.step(clock.millis());
        dialer.answer(0, new CallbackOutcome(CallbackOutcome.Result.TRUNK_BUSY, null, "trunk busy"));
        scheduler.step(clock.millis());
        assertEquals(0, store.all().get(0).tries());
        clock.advanceMs(2000);
        scheduler.step(clock.millis());
        assertEquals(1, dialer.requests.get(1).attempt(), "the same try again");
        dialer.answer(1, new CallbackOutcome(CallbackOutcome.Result.TRUNK_FAILED, null, "403 Forbidden"));
        scheduler.step(clock.millis());
        assertEquals(CallbackState.GAVE_UP, store.all().get(0).state());
        assertEquals("trunk failed: trunk-failed: 403 Forbidden", store.all().get(0).reason());
    }

    @Test
    void anAnsweredCallOfTheCallerCancelsAndBlockedOrOtherCampaignsScheduleNothing() {
        final CallbackScheduler scheduler = scheduler();
        scheduler.onFinished(lost("solar", "+14155550666"));
        scheduler.onFinished(lost("plain", CUSTOMER));
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.step(clock.millis());
        assertEquals(1, store.all().size(), "blocked caller, campaign without callback and the duplicate: none");
        scheduler.onAnswered("solar", CUSTOMER, "c-again");
        scheduler.step(clock.millis());
        assertEquals(CallbackState.CANCELLED, store.all().get(0).state());
        clock.advanceMs(60_000);
        scheduler.step(clock.millis());
        assertTrue(dialer.requests.isEmpty());
    }

    @Test
    void anOperatorCancelsAndTheAnswerSaysWhy() throws Exception {
        final CallbackScheduler scheduler = scheduler();
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.step(clock.millis());
        final String id = store.all().get(0).id();
        final var stale = scheduler.cancel(id, "by ops", c -> false);
        scheduler.step(clock.millis());
        final var changed = assertInstanceOf(CallbackScheduler.CallbackChangedException.class,
                assertThrows(ExecutionException.class, stale::get).getCause());
        assertEquals(CallbackState.PENDING, changed.now().state(), "a failed precondition cancels nothing");
        final var cancel = scheduler.cancel(id, "by ops", c -> c.state() == CallbackState.PENDING);
        final var unknown = scheduler.cancel("cb-nope", "by ops", c -> true);
        scheduler.step(clock.millis());
        assertEquals(CallbackState.CANCELLED, cancel.get().state());
        assertInstanceOf(CallbackScheduler.CallbackNotFoundException.class,
                assertThrows(ExecutionException.class, unknown::get).getCause());
        final var again = scheduler.cancel(id, "twice", c -> true);
        scheduler.step(clock.millis());
        assertEquals("callback " + id + " is already cancelled",
                assertThrows(ExecutionException.class, again::get).getCause().getMessage());
    }

    @Test
    void theScheduleSurvivesAReopenAndATryCutShortByAStopCountsAsMade() {
        CallbackScheduler scheduler = scheduler();
        scheduler.onFinished(lost("solar", CUSTOMER));
        scheduler.step(clock.millis());
        clock.advanceMs(2000);
        scheduler.step(clock.millis());
        assertEquals(1, dialer.requests.size());
        // The process stops while the try rings: its outcome never comes.
        store.close();
        store = null;
        clock.advanceMs(100);
        final CallbackScheduler restarted = scheduler();
        final Callback recovered = store.all().get(0);
        assertEquals(CallbackState.PENDING, recovered.state());
        assertEquals(1, recovered.tries());
        assertEquals(clock.millis() + 5000, recovered.nextTryMs());
        assertEquals(1, restarted.live());
        clock.advanceMs(5000);
        restarted.step(clock.millis());
        assertEquals(2, dialer.requests.get(1).attempt());
        assertNull(scheduler.cancel("x", "y", c -> true).getNow(null), "the first scheduler is no longer stepped");
    }

    /** Records each request and lets the test give its outcome, as the SIP loop would, later. */
    private static final class RecordingDialer implements CallbackDialer {
        final List<CallbackRequest> requests = new ArrayList<>();
        final List<CallbackListener> listeners = new ArrayList<>();

        @Override
        public void dial(CallbackRequest request, CallbackListener listener) {
            requests.add(request);
            listeners.add(listener);
        }

        void answer(int index, CallbackOutcome outcome) {
            listeners.get(index).onOutcome(outcome);
        }
    }
}
