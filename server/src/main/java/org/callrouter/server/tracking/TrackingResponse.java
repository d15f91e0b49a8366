package org.callrouter.server.tracking;

import java.nio.charset.StandardCharsets;

/**
 * A tracking answer: status, media type (null without a body), body, and extra headers as
 * name/value pairs in one array (few, and fixed per kind of answer).
 */
record TrackingResponse(int status, String contentType, byte[] body, String[] headers) {

    static final String JSON = "application/json";
    private static final byte[] NONE = new byte[0];
    private static final String[] NO_HEADERS = new String[0];

    /** An answer without a body ({@code 204}, {@code 304}). */
    static TrackingResponse empty(int status, String... headers) {
        return new TrackingResponse(status, null, NONE, headers);
    }

    /** {@code {"error": reason}}; the reason is JSON-escaped here. */
    static TrackingResponse error(int status, String reason, String... headers) {
        final StringBuilder json = new StringBuilder(reason.length() + 16).append("{\"error\":\"");
        escape(reason, json);
        return new TrackingResponse(status, JSON, json.append("\"}").toString().getBytes(StandardCharsets.UTF_8),
                headers.length == 0 ? NO_HEADERS : headers);
    }

    /** This answer with {@code more} headers after its own. */
    TrackingResponse with(String... more) {
        if (more.length == 0) {
            return this;
        }
        final String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return new TrackingResponse(status, contentType, body, all);
    }

    /** Appends {@code text} as the inside of a JSON string (RFC 8259 7). */
    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
