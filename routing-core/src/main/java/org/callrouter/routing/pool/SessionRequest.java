package org.callrouter.routing.pool;

import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.PoolConfig;

/**
 * What a landing page tells about its visitor when it asks for a number; every field may be
 * null. The values become the call's tags when the visitor calls (see {@link Attribution}).
 *
 * @param pageUrl     the landing page ({@code landing_page})
 * @param referrer    {@code document.referrer}
 * @param references  free-form reference fields ({@code ref1}..{@code ref3}), at most 3
 * @param tags        extra tags; only names in the pool's {@code tags_allowed}
 */
public record SessionRequest(String pageUrl, String referrer,
                             String utmSource, String utmMedium, String utmCampaign, String utmTerm, String utmContent,
                             String gclid, String gbraid, String wbraid, String fbclid, String msclkid,
                             String gaClientId, String salesCode, List<String> references, Map<String, String> tags) {

    /** The bounds {@link #problem} applies. */
    public static final Limits LIMITS = new Limits(2048, 256, 3, 20, 64);

    /**
     * Bounds on a request's fields: the endpoint is public, and the values are kept for the
     * session's life and copied into every call record.
     *
     * @param maxUrlChars     {@code page_url}, {@code referrer} and page views
     * @param maxTextChars    every other value
     * @param maxReferences   {@code references}
     * @param maxTags         {@code tags}
     * @param maxTagNameChars a tag name ({@code [A-Za-z0-9_]})
     */
    public record Limits(int maxUrlChars, int maxTextChars, int maxReferences, int maxTags, int maxTagNameChars) {
    }

    /** A request with no information (a visitor without UTM values or referrer). */
    public static final SessionRequest EMPTY = new SessionRequest(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, List.of(), Map.of());

    public SessionRequest {
        references = references == null ? List.of() : List.copyOf(references);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** {@code null} when every field is within bounds, else the reason ("utm_source longer than 256 characters"). */
    public String problem(PoolConfig pool) {
        String problem = url("page_url", pageUrl);
        problem = problem != null ? problem : url("referrer", referrer);
        String[] names = {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid", "gbraid",
            "wbraid", "fbclid", "msclkid", "ga_client_id", "sales_code"};
        String[] values = {utmSource, utmMedium, utmCampaign, utmTerm, utmContent, gclid, gbraid, wbraid, fbclid,
            msclkid, gaClientId, salesCode};
        for (int i = 0; i < names.length && problem == null; i++) {
            problem = text(names[i], values[i]);
        }
        if (problem != null) {
            return problem;
        }
        if (references.size() > LIMITS.maxReferences()) {
            return "at most " + LIMITS.maxReferences() + " references, got " + references.size();
        }
        for (int i = 0; i < references.size() && problem == null; i++) {
            problem = text("references[" + i + "]", references.get(i));
        }
        if (problem != null) {
            return problem;
        }
        if (tags.size() > LIMITS.maxTags()) {
            return "at most " + LIMITS.maxTags() + " tags, got " + tags.size();
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            String name = tag.getKey();
            if (!isTagName(name)) {
                return "tag name must be 1-" + LIMITS.maxTagNameChars() + " of A-Z a-z 0-9 _";
            }
            if (!pool.tagsAllowed().contains(name)) {
                return "tag \"" + name + "\" is not allowed by pool " + pool.id();
            }
            problem = text("tag " + name, tag.getValue());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** A page view's URL: null when fine, else the reason. */
    public static String urlProblem(String url) {
        return url == null ? "page_url is required" : check("page_url", url, LIMITS.maxUrlChars());
    }

    private static String url(String name, String value) {
        return value == null ? null : check(name, value, LIMITS.maxUrlChars());
    }

    private static String text(String name, String value) {
        return value == null ? null : check(name, value, LIMITS.maxTextChars());
    }

    private static String check(String name, String value, int max) {
        if (value.length() > max) {
            return name + " longer than " + max + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return name + " contains a control character";
            }
        }
        return null;
    }

    private static boolean isTagName(String name) {
        if (name.isEmpty() || name.length() > LIMITS.maxTagNameChars()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
