package org.callrouter.routing.config;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One side's conversion rule (the source's payout or the handler's revenue).
 *
 * @param type    when the call converts
 * @param seconds minimum talk time for {@link ConversionType#TIMER}; 0 otherwise
 * @param amount  payout (source side) or revenue (handler side)
 * @param dedupe  a caller converts at most once per campaign and side within this window;
 *                {@code null} = no dedupe
 */
public record ConversionRule(ConversionType type, int seconds, BigDecimal amount, DurationSetting dedupe) {

    /** {@code timer 30s}, {@code attempt}, {@code postback}. */
    public String describe() {
        return type == ConversionType.TIMER ? "timer " + seconds + "s" : type.name().toLowerCase(Locale.ROOT);
    }
}
