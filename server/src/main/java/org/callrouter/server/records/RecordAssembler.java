package org.callrouter.server.records;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.agrona.ErrorHandler;
import org.agrona.collections.Object2ObjectHashMap;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.ConversionService;
import org.callrouter.routing.Skip;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds each call's record from its events, on the emitter thread, and tells the sinks
 * (journal, metrics, webhooks) as it goes. Holds the calls in progress and, for postbacks and
 * lookups that come soon after, the most recently ended ones.
 *
 * <p>Events of a call whose {@code received} was lost (buffer overflow) start a record marked
 * {@code incomplete}; a call whose {@code ended} never comes is closed by {@link #sweep} as
 * {@code failed} and {@code incomplete}, so no record is ever silently missing.
 */
final class RecordAssembler implements CallEvents {

    private static final Logger LOG = LoggerFactory.getLogger(RecordAssembler.class);
    /** Ended records kept in memory for postbacks and lookups. */
    static final int RECENT = 8192;

    private final List<RecordSink> sinks;
    private final ErrorHandler errors;
    private final Tickets tickets;
    private final Journal journal;
    private volatile ConversionService conversions;
    private final Object2ObjectHashMap<String, CallRecord> live = new Object2ObjectHashMap<>();
    private final Map<String, CallRecord> recent = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CallRecord> eldest) {
            return size() > RECENT;
        }
    };
    private long ended;
    private long incomplete;

    /**
     * @param sinks   told of each step, in order (the journal first).
     * @param journal the journal among the sinks: postback answers wait for its fsync.
     */
    RecordAssembler(List<RecordSink> sinks, Journal journal, Tickets tickets, ErrorHandler errors) {
        this.sinks = List.copyOf(sinks);
        this.journal = journal;
        this.tickets = tickets;
        this.errors = errors;
    }

    /** Where postbacks are decided (the router's, once it is open). */
    void conversions(ConversionService service) {
        this.conversions = service;
    }

    @Override
    public void received(String callId, String callKey, long atMs, long routingNs, String caller, String dialed,
                         String campaignId, String sourceId, Map<String, String> tags) {
        final CallRecord r = new CallRecord(callId);
        r.key = callKey;
        r.receivedMs = atMs;
        r.routingNs = routingNs;
        r.caller = caller;
        r.dialed = dialed;
        r.campaign = campaignId;
        r.source = sourceId;
        r.tags = tags;
        if (live.put(callId, r) != null) {
            LOG.warn("call {} was received twice; the first record is replaced", callId);
        }
        tell(sink -> sink.onStarted(r));
    }

    @Override
    public void visitor(String callId, String sessionId, List<String> pagePath) {
        final CallRecord r = record(callId);
        r.session = sessionId;
        r.pagePath = List.copyOf(pagePath);
    }

    @Override
    public void callback(String callId, String callbackId, String lostCallId, int attempt) {
        final CallRecord r = record(callId);
        r.callbackId = callbackId;
        r.callbackOf = lostCallId;
        r.callbackAttempt = attempt;
    }

    @Override
    public void skipped(String callId, String handlerId, String reason) {
        record(callId).skipped(new Skip(handlerId, reason));
    }

    @Override
    public void attemptStarted(String callId, String handlerId, long atMs) {
        final CallRecord r = record(callId);
        final CallRecord.Attempt attempt = new CallRecord.Attempt(handlerId, atMs);
        r.attempt(attempt);
        tell(sink -> sink.onSelected(r, attempt));
    }

    @Override
    public void attemptEnded(String callId, String handlerId, AttemptResult result, int sipStatus, long atMs) {
        final CallRecord r = record(callId);
        final CallRecord.Attempt started = r.attempt(handlerId);
        final CallRecord.Attempt attempt;
        if (started == null || started.result != null) {
            attempt = new CallRecord.Attempt(handlerId, CallRecord.NO_TIME);
            r.attempt(attempt);
            r.incomplete = true;
        } else {
            attempt = started;
        }
        attempt.endedMs = atMs;
        attempt.result = result;
        attempt.sipStatus = sipStatus;
        tell(sink -> sink.onAttemptEnded(r, attempt));
    }

    @Override
    public void answered(String callId, String handlerId, long atMs) {
        final CallRecord r = record(callId);
        r.handler = handlerId;
        r.answeredMs = atMs;
        tell(sink -> sink.onAnswered(r));
    }

    @Override
    public void ended(String callId, CallStatus status, int sipStatus, String reason, long atMs, long ringMs,
                      long talkMs, ConversionOutcome conversion) {
        CallRecord r = live.remove(callId);
        if (r == null) {
            r = new CallRecord(callId);
            r.incomplete = true;
        }
        r.status = status;
        r.sipStatus = sipStatus;
        r.reason = reason;
        r.endedMs = atMs;
        r.ringMs = ringMs;
        r.talkMs = talkMs;
        r.endWith(conversion);
        end(r);
    }

    /**
     * A postback for a call: checks the key, asks the conversion service, applies the answer to
     * the record and answers the ticket once the journal has it on disk.
     *
     * @param journalLine the call's line from the journal when the admin API found it there.
     */
    void onPostback(long ticket, String callId, String key, String journalLine, long atMs) {
        CallRecord r = live.get(callId);
        if (r == null) {
            r = recent.get(callId);
        }
        if (r == null && journalLine != null) {
            try {
                r = RecordJson.read(RecordJson.parse(journalLine));
                recent.put(callId, r);
            } catch (IOException | RuntimeException e) {
                tickets.complete(ticket, PostbackResult.refused(PostbackResult.Status.REFUSED,
                        "the call's journal line cannot be read: " + e.getMessage()));
                return;
            }
        }
        if (r == null) {
            tickets.complete(ticket, PostbackResult.refused(PostbackResult.Status.NOT_IN_MEMORY, null));
            return;
        }
        if (key == null || r.key() == null || !MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                r.key().getBytes(StandardCharsets.UTF_8))) {
            tickets.complete(ticket, PostbackResult.refused(PostbackResult.Status.WRONG_KEY,
                    "the key is not this call's"));
            return;
        }
        if (r.answeredBy() == null) {
            tickets.complete(ticket, PostbackResult.refused(PostbackResult.Status.NOT_ANSWERED, r.ended()
                    ? "the call was not answered: there is nothing to convert"
                    : "the call has not been answered yet"));
            return;
        }
        final ConversionService service = conversions;
        final ConversionOutcome posted;
        try {
            if (service == null) {
                throw new IllegalStateException("the router is not open");
            }
            posted = service.postback(callId, r.campaign(), r.answeredBy(), r.caller(), atMs);
        } catch (RuntimeException e) {
            tickets.complete(ticket, PostbackResult.refused(PostbackResult.Status.REFUSED, e.getMessage()));
            return;
        }
        final ConversionOutcome before = r.conversion();
        final boolean changed = r.applyPostback(posted);
        if (changed && r.ended()) {
            r.convertedAtMs = atMs;
            final CallRecord converted = r;
            tell(sink -> sink.onConvertedAfterEnd(converted, before, atMs));
        }
        final PostbackResult result = new PostbackResult(PostbackResult.Status.APPLIED, null, posted, changed,
                new String(RecordJson.callLine(r), StandardCharsets.UTF_8));
        journal.afterSync(() -> tickets.complete(ticket, result));
    }

    /** A lookup: the call's record as JSON if it is live or ended recently, else null. */
    void onLookup(long ticket, String callId) {
        CallRecord r = live.get(callId);
        if (r == null) {
            r = recent.get(callId);
        }
        tickets.complete(ticket, r == null ? null : new String(RecordJson.callLine(r), StandardCharsets.UTF_8));
    }

    /**
     * Closes the records of calls received more than {@code maxAgeMs} before {@code nowMs}
     * that never ended (their end event was lost): written as {@code failed}, {@code incomplete}.
     *
     * @return how many were closed.
     */
    int sweep(long nowMs, long maxAgeMs) {
        final List<CallRecord> stale = new ArrayList<>();
        for (CallRecord r : live.values()) {
            if (r.receivedMs() == CallRecord.NO_TIME || nowMs - r.receivedMs() > maxAgeMs) {
                stale.add(r);
            }
        }
        for (CallRecord r : stale) {
            live.remove(r.id());
            r.status = CallStatus.FAILED;
            r.reason = "no end event within " + maxAgeMs / 1000 + " s: the record's events were lost";
            r.endedMs = nowMs;
            r.incomplete = true;
            end(r);
        }
        return stale.size();
    }

    /** Calls in progress. */
    int liveCount() {
        return live.size();
    }

    /** Records ended (and handed to the sinks) since start. */
    long endedCount() {
        return ended;
    }

    /** Records that lack some of their events. */
    long incompleteCount() {
        return incomplete;
    }

    private void end(CallRecord r) {
        ended++;
        if (r.incomplete()) {
            incomplete++;
        }
        recent.put(r.id(), r);
        tell(sink -> sink.onEnded(r));
    }

    /** Tells every sink; one that throws is reported and the others still hear. */
    private void tell(Consumer<RecordSink> event) {
        for (RecordSink sink : sinks) {
            try {
                event.accept(sink);
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
    }

    private CallRecord record(String callId) {
        CallRecord r = live.get(callId);
        if (r == null) {
            r = new CallRecord(callId);
            r.incomplete = true;
            live.put(callId, r);
        }
        return r;
    }
}
