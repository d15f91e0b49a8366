package org.callrouter.routing.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A bearer token of the admin API ({@code server.admin.tokens[]}, or the older
 * {@code server.admin.token}, an admin-scoped token named {@code admin}). Its value never
 * appears in {@link #toString()}, in errors or in logs.
 *
 * @param name  what the token is called in answers and logs ({@code grafana}, {@code ops}).
 * @param scope what the token may do.
 * @param value the secret itself (at least {@value ServerSettingsReader#MIN_TOKEN_LENGTH} characters).
 */
public record ApiToken(String name, Scope scope, String value) {

    /** What a token may do. */
    public enum Scope {
        /** Reads only: {@code GET} of calls, explain and caps. */
        READ("read"),
        /** Everything: reads, reload, conversions, cap resets. */
        ADMIN("admin");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        /** {@code read} or {@code admin}, as written in the configuration. */
        public String label() {
            return label;
        }

        /** Whether a token of this scope may do what {@code needed} allows. */
        public boolean allows(Scope needed) {
            return compareTo(needed) >= 0;
        }
    }

    public ApiToken {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(value, "value");
    }

    /** Whether {@code presented} is this token, compared in constant time. */
    public boolean matches(byte[] presented) {
        return MessageDigest.isEqual(presented, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + ", " + scope.label() + "]";
    }
}
