package org.callrouter.server.tracking;

/**
 * A tracking request refused: its HTTP status, the reason the client reads in
 * {@code {"error": reason}}, and for {@code 429} the seconds in {@code Retry-After}.
 */
final class TrackingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String retryAfterSeconds;

    TrackingException(int status, String reason) {
        this(status, reason, null);
    }

    TrackingException(int status, String reason, String retryAfterSeconds) {
        super(reason, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    /** {@code Retry-After}'s value, or null. */
    String retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
