package org.callrouter.routing.lead;

/** Which session of a lead a sale is credited to ({@code attribution.credit}). */
public enum CreditModel {
    /** The lead's earliest session (its origin), by start time then id. */
    FIRST_TOUCH("first_touch"),
    /** The latest session started at or before the sale; the earliest when all started later. */
    LAST_TOUCH("last_touch");

    private final String wireName;

    CreditModel(String wireName) {
        this.wireName = wireName;
    }

    /** {@code first_touch} or {@code last_touch}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The model named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed names
     */
    public static CreditModel fromWire(String name) {
        return WireNames.parse(values(), CreditModel::wireName, name, "credit model", "first_touch or last_touch");
    }
}
