package org.callrouter.server.records;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP loop's side of the record pipeline: each call event is encoded into a reused byte
 * array and copied in one block into an Agrona {@link ManyToOneRingBuffer} (no allocation);
 * the emitter thread takes it from there. The admin API publishes postback and lookup requests
 * through the same buffer, so they are seen after every event published before them.
 *
 * <p><b>When the buffer is full</b> (the emitter has fallen a whole buffer behind), the
 * publisher waits for room for up to {@code fullWaitNs}, spinning then yielding. If there is
 * still none the event is dropped, counted per type ({@link #dropped(int)}) and logged (the
 * first time, then at most every ten seconds with the count); while the buffer stays full
 * later events are dropped at once instead of each waiting again, so a wedged emitter cannot
 * stall the SIP loop. A record whose events were dropped is written as {@code incomplete}.
 *
 * <p>Call events ({@link CallEvents}) come from the SIP worker loops, each encoding into an
 * array of its own that it reuses (the ring buffer takes many producers; one call's events all
 * come from its worker, so they stay in order); {@link #postback} and {@link #lookup} are safe
 * from any thread.
 */
public final class CallEventPublisher implements CallEvents {

    private static final Logger LOG = LoggerFactory.getLogger(CallEventPublisher.class);
    private static final long LOG_EVERY_NS = 10_000_000_000L;
    /** Tags beyond this many are left out of the event (the SIP message limits keep it far off). */
    static final int MAX_TAGS = 64;
    /** Slots of the amount cache (a power of two); each amount may sit in its slot or the next. */
    private static final int AMOUNT_CACHE = 256;

    private final ManyToOneRingBuffer ring;
    private final long fullWaitNs;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLongArray dropped = new AtomicLongArray(RecordMessages.count());
    private final AtomicLong fullWaits = new AtomicLong();
    private volatile boolean overflowing;
    private volatile long nextDropLogNs;
    /** Each SIP worker loop's encoding state (one lookup per event, no lock, no allocation). */
    private final ThreadLocal<Encoding> encoding = ThreadLocal.withInitial(Encoding::new);

    /** Where one thread encodes its events before copying them into the ring buffer in one block. */
    private static final class Encoding {
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);
        final TagWriter tagWriter = new TagWriter();
        /**
         * Config amounts are the same BigDecimal instances call after call (one per conversion
         * rule): their text is cached by identity, so encoding an amount allocates nothing.
         */
        final AmountText[] amounts = new AmountText[AMOUNT_CACHE];
    }

    /**
     * @param ring       the buffer the emitter drains.
     * @param fullWaitNs how long a publisher may wait for room in a full buffer before dropping.
     */
    public CallEventPublisher(ManyToOneRingBuffer ring, long fullWaitNs) {
        this.ring = ring;
        this.fullWaitNs = fullWaitNs;
    }

    @Override
    public void received(String callId, String callKey, long atMs, long routingNs, String caller, String dialed,
                         String campaignId, String sourceId, Map<String, String> tags) {
        final Encoding e = encoding.get();
        final ExpandableArrayBuffer b = e.scratch;
        b.putLong(0, atMs);
        b.putLong(Long.BYTES, routingNs);
        int at = EventStrings.put(b, 2 * Long.BYTES, callId);
        at = EventStrings.put(b, at, callKey);
        at = EventStrings.put(b, at, caller);
        at = EventStrings.put(b, at, dialed);
        at = EventStrings.put(b, at, campaignId);
        at = EventStrings.put(b, at, sourceId);
        final int countAt = at;
        int length = countAt + Integer.BYTES;
        int count = 0;
        if (tags != null && !tags.isEmpty()) {
            e.tagWriter.start(b, length, caller, dialed, campaignId, sourceId);
            tags.forEach(e.tagWriter);
            if (e.tagWriter.at <= ring.maxMsgLength()) {
                length = e.tagWriter.at;
                count = e.tagWriter.count;
            }
        }
        b.putInt(countAt, count);
        publish(RecordMessages.RECEIVED, b, length);
    }

    @Override
    public void visitor(String callId, String sessionId, List<String> pagePath) {
        final ExpandableArrayBuffer b = encoding.get().scratch;
        int at = EventStrings.put(b, 0, callId);
        at = EventStrings.put(b, at, sessionId);
        b.putInt(at, pagePath.size());
        at += Integer.BYTES;
        for (String page : pagePath) {
            at = EventStrings.put(b, at, page);
        }
        publish(RecordMessages.VISITOR, b, at);
    }

    @Override
    public void callback(String callId, String callbackId, String lostCallId, int attempt) {
        final ExpandableArrayBuffer b = encoding.get().scratch;
        b.putInt(0, attempt);
        int at = EventStrings.put(b, Integer.BYTES, callId);
        at = EventStrings.put(b, at, callbackId);
        publish(RecordMessages.CALLBACK, b, EventStrings.put(b, at, lostCallId));
    }

    @Override
    public void skipped(String callId, String handlerId, String reason) {
        final ExpandableArrayBuffer b = encoding.get().scratch;
        int at = EventStrings.put(b, 0, callId);
        at = EventStrings.put(b, at, handlerId);
        publish(RecordMessages.SKIPPED, b, EventStrings.put(b, at, reason));
    }

    @Override
    public void attemptStarted(String callId, String handlerId, long atMs) {
        timedHandlerEvent(RecordMessages.ATTEMPT_STARTED, callId, handlerId, atMs);
    }

    @Override
    public void attemptEnded(String callId, String handlerId, AttemptResult result, int sipStatus, long atMs) {
        final ExpandableArrayBuffer b = encoding.get().scratch;
        b.putLong(0, atMs);
        b.putInt(Long.BYTES, result.ordinal());
        b.putInt(Long.BYTES + Integer.BYTES, sipStatus);
        final int at = EventStrings.put(b, Long.BYTES + 2 * Integer.BYTES, callId);
        publish(RecordMessages.ATTEMPT_ENDED, b, EventStrings.put(b, at, handlerId));
    }

    @Override
    public void answered(String callId, String handlerId, long atMs) {
        timedHandlerEvent(RecordMessages.ANSWERED, callId, handlerId, atMs);
    }

    @Override
    public void ended(String callId, CallStatus status, int sipStatus, String reason, long atMs, long ringMs,
                      long talkMs, ConversionOutcome conversion) {
        final Encoding e = encoding.get();
        final ExpandableArrayBuffer b = e.scratch;
        b.putLong(0, atMs);
        b.putLong(Long.BYTES, ringMs);
        b.putLong(2 * Long.BYTES, talkMs);
        b.putInt(3 * Long.BYTES, status.ordinal());
        b.putInt(3 * Long.BYTES + Integer.BYTES, sipStatus);
        int at = EventStrings.put(b, 3 * Long.BYTES + 2 * Integer.BYTES, callId);
        at = EventStrings.put(b, at, reason);
        b.putInt(at, conversion == null ? 0 : 1);
        at += Integer.BYTES;
        if (conversion != null) {
            at = putSide(e, at, conversion.source());
            at = putSide(e, at, conversion.handler());
        }
        publish(RecordMessages.ENDED, b, at);
    }

    /**
     * Asks the emitter to apply a postback conversion; the answer comes through the ticket.
     *
     * @param journalLine the call's journal line (carried whole) when the admin API found it
     *                    there because the emitter no longer holds the call, else null.
     * @return false when the request could not be queued (buffer full).
     */
    public boolean postback(long ticket, String callId, String key, String journalLine, long atMs) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        b.putLong(0, ticket);
        b.putLong(Long.BYTES, atMs);
        int at = EventStrings.put(b, 2 * Long.BYTES, callId);
        at = EventStrings.put(b, at, key);
        return publish(RecordMessages.POSTBACK, b, EventStrings.put(b, at, journalLine, Integer.MAX_VALUE));
    }

    /**
     * Asks the emitter for a call it holds (live, or ended recently); the answer comes through
     * the ticket.
     *
     * @return false when the request could not be queued (buffer full).
     */
    public boolean lookup(long ticket, String callId) {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(64);
        b.putLong(0, ticket);
        return publish(RecordMessages.LOOKUP, b, EventStrings.put(b, Long.BYTES, callId));
    }

    /** Events and requests published since start. */
    public long published() {
        return published.get();
    }

    /** Events of a {@link RecordMessages} type dropped because the buffer stayed full. */
    public long dropped(int type) {
        return dropped.get(type);
    }

    /** Events dropped because the buffer stayed full, every type. */
    public long droppedTotal() {
        long sum = 0;
        for (int i = 0; i < dropped.length(); i++) {
            sum += dropped.get(i);
        }
        return sum;
    }

    /** Times a publisher found the buffer full and had to wait. */
    public long fullWaits() {
        return fullWaits.get();
    }

    // ---- internals ---------------------------------------------------------------------

    private void timedHandlerEvent(int type, String callId, String handlerId, long atMs) {
        final ExpandableArrayBuffer b = encoding.get().scratch;
        b.putLong(0, atMs);
        final int at = EventStrings.put(b, Long.BYTES, callId);
        publish(type, b, EventStrings.put(b, at, handlerId));
    }

    private static int putSide(Encoding e, int at, ConversionOutcome.Side side) {
        final ExpandableArrayBuffer b = e.scratch;
        b.putInt(at, side.status().ordinal());
        final int next = EventStrings.put(b, at + Integer.BYTES, amountText(e.amounts, side.amount()));
        return EventStrings.put(b, next, side.reason());
    }

    private static String amountText(AmountText[] amounts, BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        if (amount == BigDecimal.ZERO) {
            return "0";
        }
        final int slot = System.identityHashCode(amount) & (AMOUNT_CACHE - 1);
        final int other = (slot + 1) & (AMOUNT_CACHE - 1);
        AmountText cached = amounts[slot];
        if (cached != null && cached.amount == amount) {
            return cached.text;
        }
        cached = amounts[other];
        if (cached != null && cached.amount == amount) {
            return cached.text;
        }
        // A miss: the first time this amount is seen (or it was pushed out). The older of the two goes.
        final AmountText fresh = new AmountText(amount, amount.toPlainString());
        if (amounts[slot] == null) {
            amounts[slot] = fresh;
        } else {
            amounts[other] = amounts[slot];
            amounts[slot] = fresh;
        }
        return fresh.text;
    }

    /** Copies the encoded message into the ring buffer, under the full-buffer policy. */
    private boolean publish(int type, ExpandableArrayBuffer message, int length) {
        if (length > ring.maxMsgLength()) {
            drop(type, "larger than the buffer's largest message (" + length + " bytes)");
            return false;
        }
        if (ring.write(type, message, 0, length) || writeWhenFull(type, message, length)) {
            published.incrementAndGet();
            return true;
        }
        return false;
    }

    private boolean writeWhenFull(int type, ExpandableArrayBuffer message, int length) {
        if (!overflowing) {
            fullWaits.incrementAndGet();
            final long deadline = System.nanoTime() + fullWaitNs;
            int spins = 0;
            do {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                if (ring.write(type, message, 0, length)) {
                    return true;
                }
            } while (System.nanoTime() - deadline < 0);
            overflowing = true;
        } else if (ring.write(type, message, 0, length)) {
            overflowing = false;
            return true;
        }
        drop(type, "the record buffer is full");
        return false;
    }

    private void drop(int type, String why) {
        final long total = dropped.incrementAndGet(type);
        final long now = System.nanoTime();
        if (total == 1 || now - nextDropLogNs >= 0) {
            nextDropLogNs = now + LOG_EVERY_NS;
            LOG.error("call event '{}' dropped: {} ({} of this type dropped so far, {} of all types)",
                    RecordMessages.name(type), why, total, droppedTotal());
        }
    }

    private record AmountText(BigDecimal amount, String text) {
    }

    /**
     * Writes the first {@link #MAX_TAGS} tags as name, value pairs, built-in names and values
     * that repeat the event's fields as markers ({@link RecordMessages}); reused for every call.
     */
    private static final class TagWriter implements BiConsumer<String, String> {
        private static final String[] BUILTIN = RecordMessages.BUILTIN_NAMES;
        private static final BuiltinTag[] BUILTIN_TAGS = BuiltinTag.values();
        ExpandableArrayBuffer buffer;
        int at;
        int count;
        private String caller;
        private String dialed;
        private String campaign;
        private String source;

        void start(ExpandableArrayBuffer target, int index, String callerNumber, String dialedNumber,
                   String campaignId, String sourceId) {
            buffer = target;
            at = index;
            count = 0;
            caller = callerNumber;
            dialed = dialedNumber;
            campaign = campaignId;
            source = sourceId;
        }

        @Override
        public void accept(String name, String value) {
            if (count >= MAX_TAGS) {
                return;
            }
            count++;
            int builtin = -1;
            for (int i = 0; i < BUILTIN.length; i++) {
                if (BUILTIN[i] == name) {
                    builtin = i;
                    break;
                }
            }
            if (builtin < 0) {
                at = EventStrings.put(buffer, at, name);
                at = EventStrings.put(buffer, at, value);
                return;
            }
            buffer.putInt(at, RecordMessages.BUILTIN_NAME - builtin);
            at += Integer.BYTES;
            if (value != null && value.equals(field(builtin))) {
                buffer.putInt(at, RecordMessages.SAME_AS_FIELD);
                at += Integer.BYTES;
            } else {
                at = EventStrings.put(buffer, at, value);
            }
        }

        private String field(int builtin) {
            return switch (BUILTIN_TAGS[builtin]) {
                case CALLER_NUMBER -> caller;
                case DIALED_NUMBER -> dialed;
                case CAMPAIGN -> campaign;
                case SOURCE -> source;
                default -> null;
            };
        }
    }
}
