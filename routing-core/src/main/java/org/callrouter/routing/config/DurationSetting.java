package org.callrouter.routing.config;

import java.time.Duration;

/**
 * A window length as written in the configuration: {@code 90s}, {@code 30m}, {@code 1h},
 * {@code 7d}, {@code 2w} or {@code forever}.
 *
 * @param millis length in milliseconds; {@link Long#MAX_VALUE} for forever
 * @param text   the text as written, for messages and explain output
 */
public record DurationSetting(long millis, String text) {

    /** Never expires. */
    public static final DurationSetting FOREVER = new DurationSetting(Long.MAX_VALUE, "forever");

    public boolean isForever() {
        return millis == Long.MAX_VALUE;
    }

    /**
     * Whether an event at {@code atMs} is still inside the window at {@code nowMs}.
     * Events in the future (clock stepped back) count as inside.
     */
    public boolean covers(long atMs, long nowMs) {
        return isForever() || nowMs - atMs < millis;
    }

    /**
     * Parses a window length.
     *
     * @throws IllegalArgumentException with a message for the operator
     */
    public static DurationSetting parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("forever")) {
            return FOREVER;
        }
        if (trimmed.length() < 2) {
            throw new IllegalArgumentException("expected a duration such as 90s, 30m, 1h, 7d, 2w or forever, got \"" + text + "\"");
        }
        char unit = Character.toLowerCase(trimmed.charAt(trimmed.length() - 1));
        long amount;
        try {
            amount = Long.parseLong(trimmed.substring(0, trimmed.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a duration such as 90s, 30m, 1h, 7d, 2w or forever, got \"" + text + "\"");
        }
        Duration unitLength = switch (unit) {
            case 's' -> Duration.ofSeconds(1);
            case 'm' -> Duration.ofMinutes(1);
            case 'h' -> Duration.ofHours(1);
            case 'd' -> Duration.ofDays(1);
            case 'w' -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "' in \"" + text
                    + "\" (use s, m, h, d, w or forever)");
        };
        if (amount <= 0) {
            throw new IllegalArgumentException("must be > 0, got \"" + text + "\"");
        }
        if (amount > Long.MAX_VALUE / unitLength.toMillis() / 2) {
            throw new IllegalArgumentException("\"" + text + "\" is too long; use forever");
        }
        return new DurationSetting(amount * unitLength.toMillis(), trimmed);
    }

    @Override
    public String toString() {
        return text;
    }
}
