package org.callrouter.server.quarantine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.callrouter.routing.Router;
import org.callrouter.routing.config.NumberPolicy;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.quarantine.CallMark;
import org.callrouter.routing.quarantine.NumberWindow;
import org.callrouter.routing.store.StoreFullException;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordJson;
import org.callrouter.server.records.RecordSink;
import org.callrouter.server.webhook.FlaggedNumber;

/**
 * Spam marking and number health, the server's side of it: counts each call of a tracked number
 * in the router's number-day store (a record sink, on the emitter thread), applies marks
 * ({@code POST /v1/calls/{id}/spam}, a postback with {@code reason}), keeps the set of numbers
 * flagged for replacement, and tells the webhooks when a number becomes flagged. Marks are kept
 * in {@link MarkJournal} (who, when, which call, why), which also makes a second mark of the same
 * call a conflict after a restart. With {@code server.records.retention_days} set, mark files older
 * than that, and older than {@code number_policy.spam_window_days}, are deleted at the start and
 * then at most once a day when a mark is written (the only time the journal grows).
 */
public final class NumberHealth implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger(NumberHealth.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY_MS = 86_400_000L;

    /** What a mark did. */
    public record Marked(NumberWindow window, boolean flaggedNow, boolean callerBlocked) {
    }

    /** A mark that cannot be applied; {@link #status} is the HTTP status that says why. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Supplier<Router> router;
    private final Supplier<RouterConfig> config;
    private final Consumer<FlaggedNumber> onFlagged;
    private final Consumer<String> onSpamCaller;
    private final ErrorHandler errors;
    private final MarkJournal marks;
    private final Set<String> markedCalls = ConcurrentHashMap.newKeySet();
    private final Set<String> flagged = ConcurrentHashMap.newKeySet();
    /** When marks are next pruned (guarded by {@code this}). */
    private long nextPruneMs = Long.MIN_VALUE;

    /**
     * @param onFlagged    hears of each number that becomes flagged (the webhooks)
     * @param onSpamCaller hears of the caller (E.164) of each call marked spam (the callback
     *                     scheduler, which cancels the caller's pending callbacks)
     * @throws IOException when the marks file cannot be read
     */
    public NumberHealth(Path dataDir, Supplier<Router> router, Supplier<RouterConfig> config,
                        Consumer<FlaggedNumber> onFlagged, Consumer<String> onSpamCaller, ErrorHandler errors)
            throws IOException {
        this.router = router;
        this.config = config;
        this.onFlagged = onFlagged;
        this.onSpamCaller = onSpamCaller;
        this.errors = errors;
        this.marks = new MarkJournal(dataDir);
        markedCalls.addAll(markedCallIds());
    }

    private Set<String> markedCallIds() throws IOException {
        final Set<String> ids = new HashSet<>();
        for (JsonNode mark : marks.read()) {
            if (mark.path("call_id").isTextual()) {
                ids.add(mark.path("call_id").asText());
            }
        }
        return ids;
    }

    /**
     * Applies {@code server.records.retention_days} to the marks: deletes the mark files of days
     * before {@code max(retention_days, spam_window_days)} days ago (none when retention is 0), and
     * forgets their calls.
     *
     * @return the files deleted
     */
    public synchronized int pruneMarks(long nowMs) throws IOException {
        nextPruneMs = nowMs + DAY_MS;
        final RouterConfig current = config.get();
        final int retentionDays = current.server().records().retentionDays();
        if (retentionDays == 0) {
            return 0;
        }
        final int keepDays = Math.max(retentionDays, current.numberPolicy().spamWindowDays());
        final int deleted = marks.prune(nowMs, keepDays);
        if (deleted > 0) {
            final Set<String> kept = markedCallIds();
            markedCalls.retainAll(kept);
            LOG.info("retention: {} spam mark files older than {} days deleted", deleted, keepDays);
        }
        return deleted;
    }

    /** Finds the numbers flagged now (once the router is open), and prunes old marks. */
    public void start(long nowMs) {
        pruneMarksQuietly(nowMs);
        final NumberPolicy policy = config.get().numberPolicy();
        for (NumberWindow w : router.get().numberDays().windows(nowMs, policy.spamWindowDays())) {
            if (w.flagged(policy)) {
                flagged.add(w.number());
            }
        }
    }

    @Override
    public void onStarted(CallRecord record) {
        if (record.campaign() == null || record.dialed() == null) {
            return;
        }
        final long number = e164(record.dialed());
        final Router r = router.get();
        if (number < 0 || r == null) {
            return;
        }
        try {
            r.numberDays().countCall(number, record.receivedMs());
        } catch (StoreFullException e) {
            errors.onError(e);
        }
    }

    /**
     * Marks a call (its record as the API shows it).
     *
     * @throws Refused 409 for a call already marked or not of a tracked number
     * @throws IOException when the mark cannot be written (nothing was counted)
     */
    public Marked mark(JsonNode call, CallMark mark, String actor, long nowMs) throws Refused, IOException {
        final String id = call.path("id").asText();
        final String dialed = call.path("dialed").asText(null);
        final String campaign = call.path("campaign").asText(null);
        final long number = dialed == null ? -1 : e164(dialed);
        if (campaign == null || number < 0) {
            throw new Refused(409, "call " + id + " is not a call of a tracked number: nothing to mark");
        }
        final long receivedMs = RecordJson.parseTime(call.path("received_at").asText());
        final String caller = call.path("caller").asText(null);
        synchronized (this) {
            if (!markedCalls.add(id)) {
                throw new Refused(409, "call " + id + " is already marked");
            }
            final ObjectNode line = JSON.createObjectNode();
            line.put("at", Instant.ofEpochMilli(nowMs).toString());
            line.put("actor", actor);
            line.put("call_id", id);
            line.put("reason", mark.wireName());
            line.put("number", dialed);
            line.put("caller", caller);
            line.put("campaign", campaign);
            line.put("received_at", call.path("received_at").asText());
            try {
                marks.append(nowMs, line);
            } catch (IOException e) {
                markedCalls.remove(id);
                throw e;
            }
            if (nowMs >= nextPruneMs) {
                pruneMarksQuietly(nowMs);
            }
        }
        final Router r = router.get();
        r.numberDays().countMark(number, receivedMs, mark);
        boolean blocked = false;
        final long callerNumber = caller == null ? -1 : e164(caller);
        if (mark == CallMark.SPAM && callerNumber >= 0) {
            blocked = r.blockedCallers().block(callerNumber, nowMs);
            onSpamCaller.accept(caller);
        }
        final NumberPolicy policy = config.get().numberPolicy();
        final NumberWindow window = r.numberDays().window(number, nowMs, policy.spamWindowDays());
        final boolean flaggedNow = window.flagged(policy) && flagged.add(window.number());
        if (flaggedNow) {
            onFlagged.accept(new FlaggedNumber(campaign, id, caller, mark.wireName(), window, policy.spamWindowDays()));
        }
        return new Marked(window, flaggedNow, blocked);
    }

    private void pruneMarksQuietly(long nowMs) {
        try {
            pruneMarks(nowMs);
        } catch (IOException e) {
            errors.onError(new IOException("retention: cannot prune the spam marks in the data directory", e));
        }
    }

    /** Every number with calls in the window, with whether it is flagged. */
    public List<NumberWindow> windows(long nowMs) {
        return router.get().numberDays().windows(nowMs, config.get().numberPolicy().spamWindowDays());
    }

    /** Whether the number is flagged for replacement. */
    public boolean isFlagged(String number) {
        return flagged.contains(number);
    }

    /** A record's E.164 number ({@code +18005550100}) as a number; -1 for anything else. */
    private static long e164(String text) {
        if (text == null || text.length() < 3 || text.length() > 16 || text.charAt(0) != '+') {
            return -1;
        }
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(text.substring(1));
    }

    /** How many numbers are flagged for replacement (a metric). */
    public int flaggedCount() {
        return flagged.size();
    }
}
