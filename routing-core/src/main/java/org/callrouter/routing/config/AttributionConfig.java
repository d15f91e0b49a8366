package org.callrouter.routing.config;

import java.util.List;
import java.util.Objects;

import org.callrouter.routing.lead.CreditModel;

/**
 * The top-level {@code attribution:} section.
 *
 * @param credit          {@code credit} [first_touch]: which session a sale is credited to
 * @param ignoredNumbers  {@code ignore.numbers}: E.164 numbers ({@code +15551230001}) that never
 *                        link leads (the sales team's own phones)
 * @param ignoredEmails   {@code ignore.emails}: case-folded emails that never link leads
 *                        (checkout or sales accounts)
 * @param defaultRegion   the file's {@code default_region}: sale and caller numbers written
 *                        without a country code are read in it
 */
public record AttributionConfig(CreditModel credit, List<String> ignoredNumbers, List<String> ignoredEmails,
                                String defaultRegion) {

    /** No section: first touch, nothing ignored. */
    public static final AttributionConfig DEFAULT = new AttributionConfig(CreditModel.FIRST_TOUCH, List.of(), List.of(),
            ConfigLoader.DEFAULT_REGION);

    public AttributionConfig {
        ignoredNumbers = List.copyOf(ignoredNumbers);
        ignoredEmails = List.copyOf(ignoredEmails);
        Objects.requireNonNull(defaultRegion, "defaultRegion");
    }
}
