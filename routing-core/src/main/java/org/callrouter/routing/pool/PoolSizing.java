package org.callrouter.routing.pool;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many numbers a pool needs, by Little's law: the visitors holding a number at once are the
 * arrival rate times the time each one holds it ({@code L = λ × W}), plus headroom for bursts
 * above the hourly average. A visitor holds a number for their session and then for the lease
 * after their last renewal, so {@code sessionMinutes} is the whole time a number stays with one
 * visitor (visit length plus {@code lease_seconds}).
 *
 * <p>Computed in decimal, not binary floating point, so that 1,000 visitors an hour for 30
 * minutes with 10% headroom is exactly 550 numbers and not 551.
 *
 * @param visitorsPerHour arrivals an hour (new sessions), at least 0
 * @param sessionMinutes  minutes each visitor holds a number, more than 0
 * @param headroom        the fraction added on top of the average ({@code 0.25} = 25%), at least 0
 */
public record PoolSizing(double visitorsPerHour, double sessionMinutes, double headroom) {

    /** The headroom {@code router pools size} uses when none is given. */
    public static final double DEFAULT_HEADROOM = 0.25;
    private static final BigDecimal MINUTES_PER_HOUR = BigDecimal.valueOf(60);

    /** @throws IllegalArgumentException naming the input that is out of range. */
    public PoolSizing {
        if (!(visitorsPerHour >= 0) || Double.isInfinite(visitorsPerHour)) {
            throw new IllegalArgumentException("visitors per hour must be a number >= 0, got " + visitorsPerHour);
        }
        if (!(sessionMinutes > 0) || Double.isInfinite(sessionMinutes)) {
            throw new IllegalArgumentException("session minutes must be a number > 0, got " + sessionMinutes);
        }
        if (!(headroom >= 0) || Double.isInfinite(headroom)) {
            throw new IllegalArgumentException("headroom must be a fraction >= 0 (0.25 = 25%), got " + headroom);
        }
    }

    /** Visitors holding a number at once on average: rate/3600 × minutes×60. */
    public BigDecimal concurrentVisitors() {
        return BigDecimal.valueOf(visitorsPerHour).multiply(BigDecimal.valueOf(sessionMinutes))
                .divide(MINUTES_PER_HOUR, 3, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    /** Numbers the pool needs: the concurrent visitors × (1 + headroom), rounded up; at least 1. */
    public long numbersNeeded() {
        final BigDecimal held = BigDecimal.valueOf(visitorsPerHour).multiply(BigDecimal.valueOf(sessionMinutes))
                .multiply(BigDecimal.ONE.add(BigDecimal.valueOf(headroom)));
        return Math.max(1, held.divide(MINUTES_PER_HOUR, 0, RoundingMode.CEILING).longValueExact());
    }

    /**
     * The share of a pool of {@code size} numbers this traffic holds on average (above 1: the
     * pool is too small and visitors get the overflow number).
     */
    public double utilisation(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("pool size must be > 0, got " + size);
        }
        return concurrentVisitors().doubleValue() / size;
    }
}
