package org.callrouter.routing;

import java.math.BigDecimal;

/**
 * Whether a call (or one handler attempt of it) converted, per side: the source's payout
 * and the handler's revenue.
 *
 * @param source  the source (payout) side
 * @param handler the handler (revenue) side
 */
public record ConversionOutcome(Side source, Side handler) {

    /** Where one side stands. */
    public enum Status {
        /** Converted: the amount is owed. */
        CONVERTED,
        /** Will not convert (the reason says why: not answered, too short, dedupe...). */
        NOT_CONVERTED,
        /** Not decided yet: the call is in progress, or a postback may still come. */
        PENDING,
        /** The campaign has no rule for this side. */
        NO_RULE
    }

    /**
     * One side's outcome.
     *
     * @param status where it stands
     * @param amount payout or revenue when converted, else zero
     * @param reason e.g. {@code timer 95s >= 90s}, {@code timer 12s < 30s},
     *               {@code dedupe: converted 2d ago (window 30d)}, {@code awaiting postback}
     */
    public record Side(Status status, BigDecimal amount, String reason) {

        public boolean converted() {
            return status == Status.CONVERTED;
        }
    }

    /** Whether either side converted. */
    public boolean converted() {
        return source.converted() || handler.converted();
    }

    /** The source's payout (zero unless converted). */
    public BigDecimal payout() {
        return source.converted() ? source.amount() : BigDecimal.ZERO;
    }

    /** The handler's revenue (zero unless converted). */
    public BigDecimal revenue() {
        return handler.converted() ? handler.amount() : BigDecimal.ZERO;
    }
}
