package org.callrouter.sip.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code WWW-Authenticate} or {@code Proxy-Authenticate} Digest challenge (RFC 3261 22.4,
 * RFC 7616 3.3, RFC 8760).
 *
 * @param realm     the protection space; the password is for this realm
 * @param nonce     the server's nonce
 * @param opaque    returned unchanged; null when absent
 * @param algorithm the algorithm, null when the server named one we do not support
 * @param algorithmToken the algorithm as written (for messages)
 * @param qopAuth   whether {@code qop} offers {@code auth}
 * @param qopGiven  whether a {@code qop} parameter was present at all (absent: RFC 2069 response)
 * @param stale     {@code stale=true}: our credentials were right, only the nonce was old
 * @param userhash  {@code userhash=true}: send {@code H(username:realm)} instead of the name
 */
public record DigestChallenge(String realm, String nonce, String opaque, DigestAlgorithm algorithm,
                              String algorithmToken, boolean qopAuth, boolean qopGiven, boolean stale,
                              boolean userhash) {

    /** Whether we can answer it: a supported algorithm, and {@code qop=auth} or no qop at all. */
    public boolean answerable() {
        return algorithm != null && (qopAuth || !qopGiven);
    }

    /**
     * The challenge to answer among those of one response (a server may offer one per
     * algorithm, RFC 8760 2.4): the strongest answerable one, or null when none is.
     *
     * @param headerValues every WWW-Authenticate (or Proxy-Authenticate) value; values that are
     *                     not Digest challenges or that do not parse are passed over
     */
    public static DigestChallenge strongest(List<String> headerValues) {
        DigestChallenge best = null;
        for (String value : headerValues) {
            final DigestChallenge c;
            try {
                c = parse(value);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (c.answerable() && (best == null || c.algorithm.compareTo(best.algorithm) > 0)) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Parses one challenge: {@code Digest} then comma-separated {@code name=token} or
     * {@code name="quoted string"} parameters.
     *
     * @throws IllegalArgumentException when it is not a Digest challenge, or it is malformed,
     *                                  or it lacks realm or nonce
     */
    public static DigestChallenge parse(String value) {
        final String text = value.trim();
        final int space = indexOfWhitespace(text);
        if (space < 0 || !text.substring(0, space).equalsIgnoreCase("Digest")) {
            throw new IllegalArgumentException("not a Digest challenge");
        }
        final Map<String, String> params = params(text, space);
        final String realm = params.get("realm");
        final String nonce = params.get("nonce");
        if (realm == null || nonce == null) {
            throw new IllegalArgumentException("Digest challenge without " + (realm == null ? "realm" : "nonce"));
        }
        final String algorithmToken = params.get("algorithm");
        boolean auth = false;
        final String qop = params.get("qop");
        if (qop != null) {
            for (String option : qop.split(",")) {
                auth |= option.trim().equalsIgnoreCase("auth");
            }
        }
        return new DigestChallenge(realm, nonce, params.get("opaque"), DigestAlgorithm.byToken(algorithmToken),
                algorithmToken == null ? "MD5" : algorithmToken, auth, qop != null,
                "true".equalsIgnoreCase(params.get("stale")), "true".equalsIgnoreCase(params.get("userhash")));
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The auth-params after the scheme, names lowercased; a quoted value is unescaped. */
    private static Map<String, String> params(String text, int from) {
        final Map<String, String> out = new LinkedHashMap<>();
        int i = from;
        final int n = text.length();
        while (true) {
            while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            final int eq = text.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("parameter without a value at " + i);
            }
            final String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            final StringBuilder v = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    v.append(text.charAt(i++));
                }
                if (i >= n) {
                    throw new IllegalArgumentException("unterminated quoted value of " + name);
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    v.append(text.charAt(i++));
                }
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException("parameter without a name");
            }
            out.putIfAbsent(name, v.toString().trim());
        }
    }
}
