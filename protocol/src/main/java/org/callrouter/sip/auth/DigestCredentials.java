package org.callrouter.sip.auth;

import java.util.Objects;

/**
 * A username and password, and the Digest response they give to a challenge (RFC 7616
 * section 3.4, as SIP uses it: RFC 3261 22.4, RFC 8760). The password never appears in
 * {@link #toString()}.
 */
public final class DigestCredentials {

    private final String username;
    private final String password;

    public DigestCredentials(String username, String password) {
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    public String username() {
        return username;
    }

    /**
     * The {@code response} value (RFC 7616 3.4.1): {@code KD(H(A1), nonce:nc:cnonce:qop:H(A2))}
     * with {@code qop=auth}, or {@code KD(H(A1), nonce:H(A2))} when the challenge has no qop
     * (RFC 2069, RFC 3261 22.4 allows it).
     *
     * @param method the request's method ({@code INVITE})
     * @param uri    the request's Request-URI, as written
     * @param cnonce our nonce (fresh random bits for each new challenge)
     * @param nc     how many requests used this nonce, 1 for the first
     */
    public String response(DigestChallenge challenge, String method, String uri, String cnonce, int nc) {
        final DigestAlgorithm h = challenge.algorithm();
        String ha1 = h.hash(username + ":" + challenge.realm() + ":" + password);
        if (h.session()) {
            ha1 = h.hash(ha1 + ":" + challenge.nonce() + ":" + cnonce);
        }
        final String ha2 = h.hash(method + ":" + uri);
        if (!challenge.qopAuth()) {
            return h.hash(ha1 + ":" + challenge.nonce() + ":" + ha2);
        }
        return h.hash(ha1 + ":" + challenge.nonce() + ":" + nonceCount(nc) + ":" + cnonce + ":auth:" + ha2);
    }

    /**
     * The {@code Authorization} (or {@code Proxy-Authorization}) value answering
     * {@code challenge} for a request.
     *
     * @throws IllegalArgumentException when the challenge is not {@link DigestChallenge#answerable()}
     */
    public String authorization(DigestChallenge challenge, String method, String uri, String cnonce, int nc) {
        if (!challenge.answerable()) {
            throw new IllegalArgumentException("cannot answer a challenge with algorithm " + challenge.algorithmToken()
                    + (challenge.qopGiven() && !challenge.qopAuth() ? " and no qop=auth" : ""));
        }
        final StringBuilder b = new StringBuilder(256).append("Digest username=");
        if (challenge.userhash()) {
            quote(b, challenge.algorithm().hash(username + ":" + challenge.realm()));
        } else {
            quote(b, username);
        }
        b.append(", realm=");
        quote(b, challenge.realm());
        b.append(", nonce=");
        quote(b, challenge.nonce());
        b.append(", uri=");
        quote(b, uri);
        b.append(", response=");
        quote(b, response(challenge, method, uri, cnonce, nc));
        b.append(", algorithm=").append(challenge.algorithm().token());
        if (challenge.opaque() != null) {
            b.append(", opaque=");
            quote(b, challenge.opaque());
        }
        if (challenge.qopAuth()) {
            b.append(", qop=auth, nc=").append(nonceCount(nc)).append(", cnonce=");
            quote(b, cnonce);
        }
        if (challenge.userhash()) {
            b.append(", userhash=true");
        }
        return b.toString();
    }

    /** {@code nc}: eight hex digits (RFC 7616 3.4). */
    static String nonceCount(int nc) {
        final String hex = Integer.toHexString(nc);
        return "00000000".substring(hex.length()) + hex;
    }

    private static void quote(StringBuilder b, String value) {
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    @Override
    public String toString() {
        return "DigestCredentials[" + username + "]";
    }
}
