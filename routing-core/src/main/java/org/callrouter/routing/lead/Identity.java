package org.callrouter.routing.lead;

import java.util.Locale;
import java.util.Objects;

import org.callrouter.routing.phone.PhoneNumbers;

/**
 * One identity of a lead, normalised: equal identities are equal values, so a phone written
 * {@code (555) 123-0001} and {@code +15551230001} is one identity.
 *
 * @param kind  what it is
 * @param value the normalised value (E.164 with {@code +} for phones, lower case for emails)
 */
public record Identity(IdentityKind kind, String value) {

    /** RFC 5321's bound on a forward path; longer is not an address anyone can use. */
    public static final int MAX_EMAIL_CHARS = 254;
    /** Bound on lead refs, visitor ids and customer ids. */
    public static final int MAX_ID_CHARS = 128;

    public Identity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Normalises {@code raw}: a phone to E.164 (numbers without country code read in
     * {@code defaultRegion}), an email trimmed and case-folded with exactly one {@code @},
     * at most {@value #MAX_EMAIL_CHARS} characters; any other kind trimmed, 1 to
     * {@value #MAX_ID_CHARS} printable ASCII characters.
     *
     * @throws IllegalArgumentException with the reason ("email has no @: ...")
     */
    public static Identity parse(IdentityKind kind, String raw, String defaultRegion) {
        return parse(kind, raw, new PhoneNumbers(defaultRegion));
    }

    /** {@link #parse(IdentityKind, String, String)} with a prepared phone parser (ingest calls it per row). */
    public static Identity parse(IdentityKind kind, String raw, PhoneNumbers phones) {
        Objects.requireNonNull(kind, "kind");
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException(kind.wireName() + " is empty");
        }
        String text = raw.trim();
        return switch (kind) {
            case PHONE -> new Identity(kind, phone(text, phones));
            case EMAIL -> new Identity(kind, email(text));
            default -> new Identity(kind, id(kind, text));
        };
    }

    private static String phone(String text, PhoneNumbers phones) {
        long e164 = phones.parse(text);
        if (e164 < 0) {
            throw new IllegalArgumentException("phone \"" + shorten(text) + "\" is not a phone number");
        }
        return PhoneNumbers.format(e164);
    }

    private static String email(String text) {
        if (text.length() > MAX_EMAIL_CHARS) {
            throw new IllegalArgumentException("email longer than " + MAX_EMAIL_CHARS + " characters");
        }
        int at = text.indexOf('@');
        if (at <= 0 || at != text.lastIndexOf('@') || at == text.length() - 1) {
            throw new IllegalArgumentException("email \"" + shorten(text) + "\" must be name@domain with one @");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("email \"" + shorten(text) + "\" contains a space or control character");
            }
        }
        return text.toLowerCase(Locale.ROOT);
    }

    private static String id(IdentityKind kind, String text) {
        if (text.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException(kind.wireName() + " longer than " + MAX_ID_CHARS + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(kind.wireName() + " may contain only printable ASCII characters");
            }
        }
        return text;
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    @Override
    public String toString() {
        return kind.wireName() + ":" + value;
    }
}
