package org.callrouter.server.recovery;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.agrona.ErrorHandler;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.ConversionService;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.callrouter.server.b2bua.DialogSnapshots;
import org.callrouter.server.b2bua.LocalContact;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.records.CallRecord;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transport.Destination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start does about the calls the previous process died holding (issue 14, item 14):
 * the answered calls left in the {@link LiveCallStore}.
 *
 * <ol>
 *   <li>{@link #open}, once this process owns the data directory and before its first call
 *       and heartbeat: opens the store (recovering locks a killed writer left), reads the
 *       calls and the last heartbeat; a call whose record is already in the journal (it ended,
 *       and the process died before the emitter removed it) is removed and nothing more is done.</li>
 *   <li>{@link #run}, on the SIP loop once the sockets are open: for each other call, an
 *       {@code interrupted} record (talk time from the answer to the last heartbeat;
 *       conversions by {@link ConversionService#interrupted}), then a BYE on both legs with
 *       the normal non-INVITE retransmissions. The call leaves the store when its record is
 *       in the journal ({@link LiveCallReleaser}), as every call does: killed again before
 *       that, the next start picks it up again, and the journal check keeps it to one record.</li>
 * </ol>
 */
public final class CrashRecovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);
    /**
     * Added to the CSeq a leg had when it was stored: in-dialog requests sent after the answer
     * (relayed re-INVITEs, digits as INFO) used numbers the store never saw, and a BYE with a
     * lower number than the peer's last would get a 500 (RFC 3261 12.2.2).
     */
    static final long CSEQ_MARGIN = 10_000;
    static final String REASON = "router restarted: the call was interrupted";
    /** Calls recorded and hung up per SIP loop task: some 5 record events each, well within the record buffer. */
    static final int BATCH = 100;
    static final long BATCH_PAUSE_MS = 10;

    private final Path dataDir;
    private final int capacity;
    private final Path journalDir;
    private final ErrorHandler errors;
    private volatile LiveCallStore store;
    private long lastAliveMs = Long.MIN_VALUE;
    private List<LiveCall> interrupted = List.of();
    private int journaled;
    private int unreadable;
    private int byesPending;
    private int byesAnswered;
    private int byesUnanswered;
    private int byesNotSent;
    private boolean allSent;

    /**
     * Nothing is opened yet ({@link #open}).
     *
     * @param capacity   the calls a new store is created for.
     * @param journalDir the journal, to leave out calls whose record was written.
     */
    public CrashRecovery(Path dataDir, int capacity, Path journalDir, ErrorHandler errors) {
        this.dataDir = dataDir;
        this.capacity = capacity;
        this.journalDir = journalDir;
        this.errors = errors;
    }

    /**
     * Opens the live-call store and reads what the previous process left in it. Call once this
     * process holds the data directory's lock ({@code Router.open}), before the first call and
     * the first heartbeat.
     *
     * @throws IllegalStateException when the store cannot be opened.
     * @throws java.io.UncheckedIOException when the journal cannot be read.
     */
    public void open() {
        final LiveCallStore opened = LiveCallStore.open(dataDir, capacity, errors);
        try {
            prepare(opened);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        store = opened;
    }

    private void prepare(LiveCallStore opened) {
        lastAliveMs = opened.lastHeartbeat();
        final Map<String, LiveCall> calls = new HashMap<>();
        long earliestMs = Long.MAX_VALUE;
        for (String id : opened.ids()) {
            try {
                final LiveCall call = opened.get(id);
                if (call != null) {
                    calls.put(id, call);
                    earliestMs = Math.min(earliestMs, call.receivedMs());
                }
            } catch (IllegalArgumentException e) {
                unreadable++;
                LOG.error("crash recovery: the live-call entry of {} cannot be read ({}); its call has no record"
                        + " and is not hung up", id, e.getMessage());
                opened.remove(id);
            }
        }
        final Set<String> written = JournalIds.find(journalDir, calls.keySet(), earliestMs);
        for (String id : written) {
            calls.remove(id);
            opened.remove(id);
        }
        final List<LiveCall> left = new ArrayList<>(calls.values());
        left.sort((a, b) -> Long.compare(a.answeredMs(), b.answeredMs()));
        interrupted = left;
        journaled = written.size();
    }

    /** The calls to record as interrupted and hang up. */
    public List<LiveCall> interrupted() {
        return interrupted;
    }

    /** The store (the SIP loop keeps answered calls in it from now on); null before {@link #open}. */
    public LiveCallStore store() {
        return store;
    }

    /** Closes the store (after the record pipeline: its last records remove their calls). */
    @Override
    public void close() {
        final LiveCallStore opened = store;
        if (opened != null) {
            store = null;
            opened.close();
        }
    }

    /**
     * Records each interrupted call and sends BYE on both of its legs. On the SIP loop, after
     * the sockets opened (the BYEs' answers come back through them); {@value #BATCH} calls at a
     * time, the next batch {@value #BATCH_PAUSE_MS} ms later on {@code loop}, so that the record
     * buffer drains between batches (a whole recovery at once could overflow it).
     */
    public void run(CallEvents events, ConversionService conversions, TransactionLayer layer, LocalContact local,
                    ScheduledExecutorService loop) {
        if (interrupted.isEmpty() && journaled == 0 && unreadable == 0) {
            return;
        }
        LOG.warn("crash recovery: {} answered calls were live when the last process ended (its last heartbeat {});"
                        + " recording them as interrupted and hanging up both legs; {} more had their record"
                        + " written already", interrupted.size(),
                lastAliveMs == Long.MIN_VALUE ? "never came" : Instant.ofEpochMilli(lastAliveMs), journaled);
        batch(0, events, conversions, layer, local, loop);
    }

    private void batch(int from, CallEvents events, ConversionService conversions, TransactionLayer layer,
                       LocalContact local, ScheduledExecutorService loop) {
        final int to = Math.min(interrupted.size(), from + BATCH);
        for (int i = from; i < to; i++) {
            final LiveCall call = interrupted.get(i);
            try {
                record(call, events, conversions);
                hangUp(call.carrier(), layer, local);
                hangUp(call.handlerLeg(), layer, local);
            } catch (RuntimeException e) {
                errors.onError(e);
            }
        }
        if (to < interrupted.size()) {
            loop.schedule(() -> batch(to, events, conversions, layer, local, loop), BATCH_PAUSE_MS,
                    TimeUnit.MILLISECONDS);
        } else {
            allSent = true;
            if (byesPending == 0) {
                report();
            }
        }
    }

    /** The {@code interrupted} record: the events a live call would have produced, and its end. */
    private void record(LiveCall call, CallEvents events, ConversionService conversions) {
        // The last evidence the call was up: the process's last heartbeat (at most a second before
        // it died). A call answered after that heartbeat gets no talk time.
        final long endMs = Math.max(call.answeredMs(), lastAliveMs);
        final long talkMs = endMs - call.answeredMs();
        ConversionOutcome conversion = null;
        try {
            conversion = conversions.interrupted(call.id(), call.campaign(), call.handler(), call.caller(),
                    call.answeredMs(), talkMs, endMs);
        } catch (RuntimeException e) {
            errors.onError(e);
        }
        events.received(call.id(), call.key(), call.receivedMs(), CallEvents.NOT_ROUTED, call.caller(), call.dialed(),
                call.campaign(), call.source(), call.tags());
        events.attemptStarted(call.id(), call.handler(), CallRecord.NO_TIME);
        events.attemptEnded(call.id(), call.handler(), AttemptResult.ANSWERED, 200, call.answeredMs());
        events.answered(call.id(), call.handler(), call.answeredMs());
        events.ended(call.id(), CallStatus.INTERRUPTED, 200, REASON, endMs, call.answeredMs() - call.receivedMs(),
                talkMs, conversion);
    }

    /** BYE in one stored dialog, with its retransmissions; the outcome is counted and logged at the end. */
    private void hangUp(LiveLeg leg, TransactionLayer layer, LocalContact local) {
        if (!local.supports(leg.transport())) {
            byesNotSent++;
            return;
        }
        final byte[] encoded = DialogSnapshots.bye(leg, leg.localCseq() + CSEQ_MARGIN, local.newVia(leg.transport()))
                .header(HeaderName.REASON, "SIP;cause=200;text=\"" + REASON + "\"")
                .toBytes();
        final SipRequest bye = (SipRequest) SipParser.parse(encoded, 0, encoded.length);
        final Destination to = Destination.of(leg.transport(), new InetSocketAddress(leg.host(), leg.port()));
        byesPending++;
        layer.sendNonInvite(bye, encoded, to, new ByeOutcome());
    }

    /** Counts one BYE's outcome once: its final answer, or its timeout (Timer F) or a transport error. */
    private final class ByeOutcome implements ClientTransactionListener {
        private boolean done;

        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            if (response.statusCode() >= 200 && !done) {
                done = true;
                byeDone(true);
            }
        }

        @Override
        public void onTimeout(ClientTransaction transaction, boolean transportError) {
            if (!done) {
                done = true;
                byeDone(false);
            }
        }
    }

    private void byeDone(boolean answered) {
        if (answered) {
            byesAnswered++;
        } else {
            byesUnanswered++;
        }
        if (--byesPending == 0 && allSent) {
            report();
        }
    }

    private void report() {
        LOG.info("crash recovery done: {} calls recorded as interrupted; BYE answered on {} legs, unanswered on {},"
                + " not sent on {} (transport no longer served)", interrupted.size(), byesAnswered, byesUnanswered,
                byesNotSent);
    }
}
