package org.callrouter.routing.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A number pool of a campaign ({@code campaigns[].pools[]}): numbers handed to landing-page
 * visitors one at a time, so a call to one of them finds the visitor's session (dynamic number
 * insertion). Every number, and the overflow number, is also a tracked number of the campaign
 * and the pool's source.
 *
 * @param id                      unique across all campaigns; {@code [a-z0-9_-]{1,64}}
 * @param campaign                the campaign it belongs to
 * @param numbers                 E.164, from {@code numbers} or {@code numbers_file}, in file order
 * @param source                  the pool's default source
 * @param leaseSeconds            {@code lease_seconds} [1800]: how long a number stays with a
 *                                visitor after the last renew
 * @param renew                   {@code renew} [true]: whether renew extends the lease
 * @param releaseOnCallEnd        {@code release_on_call_end} [false]: the number goes back to the
 *                                pool when a call to it ends
 * @param attributionGraceSeconds {@code attribution_grace_seconds} [600]: a call this long after
 *                                the lease ended (or the session was released) still finds the session
 * @param overflowNumber          {@code overflow_number} [null]: E.164 shown when every number is held
 * @param allowedOrigins          {@code allowed_origins}: exact {@code Origin} values; {@code *} allows any
 * @param tagsAllowed             {@code tags_allowed}: extra free-form tag names a session may carry
 * @param sourceRule              {@code source_rule}: lower-cased {@code utm_source} value → source id
 */
public record PoolConfig(String id, String campaign, List<String> numbers, String source, int leaseSeconds,
                         boolean renew, boolean releaseOnCallEnd, int attributionGraceSeconds,
                         String overflowNumber, List<String> allowedOrigins, List<String> tagsAllowed,
                         Map<String, String> sourceRule) {

    /**
     * The tags a visitor session gives a call (beside the pool's {@link #tagsAllowed}); the
     * names {@code tags_allowed} may not take.
     */
    public static final List<String> SESSION_TAGS = List.of("utm_source", "utm_medium", "utm_campaign", "utm_term",
            "utm_content", "gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ga_client_id", "sales_code",
            "ref1", "ref2", "ref3", "landing_page", "referrer", "visitor_session", "pool", "pool_exhausted",
            "pool_attribution_unavailable");

    public PoolConfig {
        numbers = List.copyOf(numbers);
        allowedOrigins = List.copyOf(allowedOrigins);
        tagsAllowed = List.copyOf(tagsAllowed);
        sourceRule = Map.copyOf(sourceRule);
    }

    /** Whether a request's {@code Origin} header value may use the pool. */
    public boolean allowsOrigin(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    /** The source of a call from a visitor with this {@code utm_source} (null: none): the rule's, else the pool's. */
    public String sourceFor(String utmSource) {
        if (utmSource == null || sourceRule.isEmpty()) {
            return source;
        }
        return sourceRule.getOrDefault(utmSource.toLowerCase(Locale.ROOT), source);
    }
}
