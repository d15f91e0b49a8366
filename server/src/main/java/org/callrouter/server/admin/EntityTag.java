package org.callrouter.server.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strong entity tags (RFC 9110 8.8.3) of the resources whose changes are guarded by
 * {@code If-Match} (a handler's caps, a quarantined number, a callback): the SHA-256 of the
 * resource's JSON as {@code GET} answers it, so any change to what the client saw changes the tag.
 */
final class EntityTag {

    /** Hex digits of the digest kept: 64 bits are plenty to tell two versions of one resource apart. */
    private static final int HEX_CHARS = 16;

    private EntityTag() {
    }

    /** The quoted tag of {@code resource}. */
    static String of(JsonNode resource) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(ApiResponse.JSON.writeValueAsString(resource).getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest).substring(0, HEX_CHARS) + "\"";
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("SHA-256 and a JSON tree are always there", e);
        }
    }

    /**
     * Refuses a change whose {@code If-Match} (RFC 9110 13.1.1) names none of the resource's
     * current tag: 412. No header, or {@code *} (the resource exists), lets it go. Weak tags never
     * match: the comparison is strong.
     */
    static void check(String ifMatch, JsonNode current, String what) throws ApiException {
        if (!matches(ifMatch, current)) {
            throw stale(ifMatch, current, what);
        }
    }

    /** Whether {@code ifMatch} (null or blank: no condition) lets a change of {@code current} go. */
    static boolean matches(String ifMatch, JsonNode current) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return true;
        }
        final String tag = of(current);
        for (String candidate : ifMatch.split(",")) {
            final String c = candidate.trim();
            if (c.equals("*") || c.equals(tag)) {
                return true;
            }
        }
        return false;
    }

    /** The 412 for a change whose {@code If-Match} does not name {@code current}. */
    static ApiException stale(String ifMatch, JsonNode current, String what) {
        return ApiException.stale(what + " changed since it was read: If-Match " + ifMatch.trim()
                + ", now ETag " + of(current) + "; read it again and retry");
    }
}
