package org.callrouter.server.b2bua;

/** Reason phrases (RFC 3261 section 21) for the statuses the router originates. */
final class Reasons {

    private Reasons() {
    }

    static String of(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 480 -> "Temporarily Unavailable";
            case 481 -> "Call/Transaction Does Not Exist";
            case 422 -> "Session Interval Too Small";
            case 482 -> "Loop Detected";
            case 483 -> "Too Many Hops";
            case 486 -> "Busy Here";
            case 487 -> "Request Terminated";
            case 488 -> "Not Acceptable Here";
            case 491 -> "Request Pending";
            case 500 -> "Server Internal Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Server Time-out";
            case 600 -> "Busy Everywhere";
            case 603 -> "Decline";
            case 604 -> "Does Not Exist Anywhere";
            case 606 -> "Not Acceptable";
            default -> status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Client Error"
                    : status < 600 ? "Server Error" : "Global Failure";
        };
    }

    /** Longest text an internal error puts in a record's reason. */
    private static final int MAX_ERROR_TEXT = 200;

    /**
     * A {@code Reason} header value (RFC 3326) saying why the router answered {@code status}.
     * The text may quote the request (a dialed number): it is made safe for a quoted-string.
     */
    static String header(int status, String text) {
        return "SIP;cause=" + status + ";text=\"" + quotable(text) + "\"";
    }

    /**
     * Text for the inside of a quoted-string (RFC 3261 25.1): backslash and double quote
     * escaped, control characters (which no header may carry raw, and CR or LF would end it)
     * written as their %HH escape, so the text still shows what was there.
     */
    static String quotable(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            final boolean control = c < 0x20 || c == 0x7F;
            if (sb == null) {
                if (!control && c != '"' && c != '\\') {
                    continue;
                }
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (control) {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            } else {
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * A record's reason for a call ended by an internal error: the error's type and message
     * (a full store names the setting to raise), cut short; the carrier's Reason header says
     * only "internal error".
     */
    static String internalError(Throwable error) {
        final String message = error.getMessage();
        final String text = "internal error: " + error.getClass().getSimpleName()
                + (message == null || message.isEmpty() ? "" : ": " + message);
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT - 3) + "...";
    }
}
