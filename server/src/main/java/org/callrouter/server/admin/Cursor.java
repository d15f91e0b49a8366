package org.callrouter.server.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of a paged list ({@code next_cursor} in its answer, {@code ?cursor=}
 * for the next page): a list's name and a position in it, base64url-encoded so that clients do
 * not build or change them. A cursor of another list, or one that does not decode, is a 400 on
 * {@code cursor}.
 */
final class Cursor {

    private static final char SEPARATOR = '\n';

    private Cursor() {
    }

    /** The cursor of {@code position} in list {@code list}; null for a null position (the end). */
    static String encode(String list, String position) {
        if (position == null) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((list + SEPARATOR + position).getBytes(StandardCharsets.UTF_8));
    }

    /** The position {@code cursor} names in list {@code list}; null when there is none (the first page). */
    static String decode(String list, String cursor) throws ApiException {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        final String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw refused(list);
        }
        final int split = text.indexOf(SEPARATOR);
        if (split < 0 || !text.substring(0, split).equals(list)) {
            throw refused(list);
        }
        return text.substring(split + 1);
    }

    /** The 400 for a cursor that is not one of {@code list}'s. */
    static ApiException refused(String list) {
        return ApiException.invalid("cursor", "cursor is not one this API gave for " + list
                + ": pass next_cursor of the previous page as it came, with the same filters");
    }
}
