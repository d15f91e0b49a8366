package org.callrouter.server.records;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.Skip;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;

/**
 * A call record (DESIGN.md, "Records"), assembled by the emitter thread from the call's
 * events and owned by it: other threads only ever see it as JSON. Times are epoch
 * milliseconds, {@link #NO_TIME} when the moment has not (or never) come.
 */
public final class CallRecord {

    /** A time that is not known or did not happen. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final String id;
    String key;
    long receivedMs = NO_TIME;
    long routingNs;
    String caller;
    String dialed;
    String campaign;
    String source;
    Map<String, String> tags = Map.of();
    String session;
    List<String> pagePath = List.of();
    String callbackOf;
    String callbackId;
    int callbackAttempt;
    /** One attempt, the usual case, in an immutable list of one; a list of its own from the second on. */
    private List<Attempt> attempts = List.of();
    /** Empty and shared until a skip comes: most calls have none, and a record lives as long as its call. */
    private List<Skip> skipped = List.of();
    String handler;
    long answeredMs = NO_TIME;
    long endedMs = NO_TIME;
    CallStatus status;
    int sipStatus;
    String reason;
    long ringMs;
    long talkMs;
    ConversionOutcome conversion;
    long convertedAtMs = NO_TIME;
    boolean incomplete;
    /** {@code converted} webhooks fired for this call so far (their idempotency keys count them). */
    int conversionsReported;

    CallRecord(String id) {
        this.id = id;
    }

    /** One handler tried. */
    public static final class Attempt {
        private final String handler;
        private final long startedMs;
        long endedMs = NO_TIME;
        AttemptResult result;
        int sipStatus;

        Attempt(String handler, long startedMs) {
            this.handler = handler;
            this.startedMs = startedMs;
        }

        public String handler() {
            return handler;
        }

        public long startedMs() {
            return startedMs;
        }

        public long endedMs() {
            return endedMs;
        }

        /** How it ended; null while it rings. */
        public AttemptResult result() {
            return result;
        }

        /** The SIP status that ended it (0 when none: a ring timeout, a cancel). */
        public int sipStatus() {
            return sipStatus;
        }
    }

    public String id() {
        return id;
    }

    /** The secret a postback must present (also sent to handlers as {@code X-Call-Key}). */
    public String key() {
        return key;
    }

    public long receivedMs() {
        return receivedMs;
    }

    /** How long the routing decision took ({@link CallEvents#NOT_ROUTED}: refused before one). */
    public long routingNs() {
        return routingNs;
    }

    /** The caller's number in E.164 (as received when it is not a number); null when anonymous. */
    public String caller() {
        return caller;
    }

    public String dialed() {
        return dialed;
    }

    /** Null when the number is not tracked. */
    public String campaign() {
        return campaign;
    }

    public String source() {
        return source;
    }

    /** Every tag of the call, built-ins included. */
    public Map<String, String> tags() {
        return Collections.unmodifiableMap(tags);
    }

    /** The pool visitor's session that held the dialed number, or null. */
    public String session() {
        return session;
    }

    /** The visitor's last page views, oldest first (empty without a session). */
    public List<String> pagePath() {
        return pagePath;
    }

    /** The id of the lost call this call is a callback of (issue 13), or null for other calls. */
    public String callbackOf() {
        return callbackOf;
    }

    /** The callback's id when this is a callback call, else null. */
    public String callbackId() {
        return callbackId;
    }

    /** Which try of its callback this call is (1 for the first), 0 for other calls. */
    public int callbackAttempt() {
        return callbackAttempt;
    }

    public List<Attempt> attempts() {
        return Collections.unmodifiableList(attempts);
    }

    /** Handlers left out and why. */
    void attempt(Attempt attempt) {
        if (attempts.isEmpty()) {
            attempts = List.of(attempt);
            return;
        }
        if (attempts.size() == 1) {
            attempts = new ArrayList<>(attempts);
        }
        attempts.add(attempt);
    }

    void skipped(Skip skip) {
        if (skipped.isEmpty()) {
            skipped = new ArrayList<>(2);
        }
        skipped.add(skip);
    }

    public List<Skip> skipped() {
        return Collections.unmodifiableList(skipped);
    }

    /** The handler that answered, else the last one tried, else null. */
    public String handler() {
        if (handler != null) {
            return handler;
        }
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).handler;
    }

    /** The handler that answered, or null. */
    public String answeredBy() {
        return handler;
    }

    public long answeredMs() {
        return answeredMs;
    }

    public long endedMs() {
        return endedMs;
    }

    /** The final status; null while the call is in progress. */
    public CallStatus status() {
        return status;
    }

    public boolean ended() {
        return status != null;
    }

    /** The final answer the carrier got (0 while in progress). */
    public int sipStatus() {
        return sipStatus;
    }

    public String reason() {
        return reason;
    }

    public long ringMs() {
        return ringMs;
    }

    public long talkMs() {
        return talkMs;
    }

    /** Per side; null when no handler was selected (nothing can convert). */
    public ConversionOutcome conversion() {
        return conversion;
    }

    /** When a postback last converted the call after it ended; {@link #NO_TIME} when none did. */
    public long convertedAtMs() {
        return convertedAtMs;
    }

    public boolean converted() {
        return conversion != null && conversion.converted();
    }

    public BigDecimal revenue() {
        return conversion == null ? BigDecimal.ZERO : conversion.revenue();
    }

    public BigDecimal payout() {
        return conversion == null ? BigDecimal.ZERO : conversion.payout();
    }

    /** Some of the call's events were lost (buffer overflow) or it never ended in time. */
    public boolean incomplete() {
        return incomplete;
    }

    /** {@code converted} webhooks fired so far for this call. */
    public int conversionsReported() {
        return conversionsReported;
    }

    /** Counts one more {@code converted} report; returns its number (1 for the first). */
    public int nextConversionReport() {
        return ++conversionsReported;
    }

    Attempt attempt(String handlerId) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).handler.equals(handlerId)) {
                return attempts.get(i);
            }
        }
        return null;
    }

    /**
     * The conversion as the call ended: a side an earlier postback converted stays converted;
     * every other side takes the end's decision.
     */
    void endWith(ConversionOutcome atEnd) {
        if (atEnd == null) {
            return;
        }
        if (conversion == null) {
            conversion = atEnd;
            return;
        }
        conversion = new ConversionOutcome(
                conversion.source().converted() ? conversion.source() : atEnd.source(),
                conversion.handler().converted() ? conversion.handler() : atEnd.handler());
    }

    /**
     * Applies a postback's answer: each side it converted that was not converted yet.
     *
     * @return whether any side changed.
     */
    boolean applyPostback(ConversionOutcome posted) {
        if (conversion == null) {
            conversion = posted;
            return posted.converted();
        }
        final boolean source = posted.source().converted() && !conversion.source().converted();
        final boolean handlerSide = posted.handler().converted() && !conversion.handler().converted();
        if (!source && !handlerSide) {
            return false;
        }
        conversion = new ConversionOutcome(source ? posted.source() : conversion.source(),
                handlerSide ? posted.handler() : conversion.handler());
        return true;
    }
}
