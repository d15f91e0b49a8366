package org.callrouter.routing.lead;

import java.util.Locale;

/** What a report can group and filter by; names are snake case ({@code utm_source}). */
public enum ReportDimension {
    CAMPAIGN, SOURCE, HANDLER, UTM_SOURCE, UTM_CAMPAIGN, UTM_TERM, LANDING_PAGE,
    /** Groups sales amounts by currency; calls carry no currency and fall under an empty one. */
    CURRENCY,
    /** The day in the report's zone, {@code 2026-03-08}. */
    DAY,
    /** The hour in the report's zone, {@code 2026-03-08T01:00-05:00} (offset kept: DST repeats an hour). */
    HOUR;

    /** {@code utm_source}, {@code day}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the value is a time bucket (rolled up in Java) rather than a column. */
    public boolean isTime() {
        return this == DAY || this == HOUR;
    }

    /**
     * The dimension named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed names
     */
    public static ReportDimension fromWire(String name) {
        return WireNames.parse(values(), ReportDimension::wireName, name, "report dimension",
                "campaign, source, handler, utm_source, utm_campaign, utm_term, landing_page, currency, day or hour");
    }
}
