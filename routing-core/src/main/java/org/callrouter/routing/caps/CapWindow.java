package org.callrouter.routing.caps;

/** The clock-aligned windows a handler's counted caps apply to. */
public enum CapWindow {
    /** Clock hour x:00–x+1:00 in the handler's zone. */
    HOURLY("hourly"),
    /** Local midnight to midnight (23 or 25 hours on daylight-saving days). */
    DAILY("daily"),
    /** The calendar month. */
    MONTHLY("monthly"),
    /** Never resets, except by an explicit reset. */
    TOTAL("total");

    private static final CapWindow[] VALUES = values();

    private final String capName;
    private final String skipReason;

    CapWindow(String capName) {
        this.capName = capName;
        this.skipReason = "cap: " + capName;
    }

    /** {@code hourly}, {@code daily}, {@code monthly}, {@code total}. */
    public String capName() {
        return capName;
    }

    /** {@code cap: hourly} etc. */
    public String skipReason() {
        return skipReason;
    }

    static CapWindow at(int ordinal) {
        return VALUES[ordinal];
    }

    static int count() {
        return VALUES.length;
    }
}
