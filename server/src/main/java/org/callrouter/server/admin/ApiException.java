package org.callrouter.server.admin;

import java.util.Map;

/**
 * A request the API refuses: its HTTP status (4xx, or 503), a message for the caller, and the
 * headers the status calls for ({@code Allow} with 405, RFC 9110 15.5.6; {@code WWW-Authenticate}
 * with 401, RFC 6750 3; {@code Retry-After} with 429, RFC 6585 4).
 */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    static ApiException methodNotAllowed(String method, String allowed) {
        return new ApiException(405, method + " is not allowed here; allowed: " + allowed, Map.of("Allow", allowed));
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, message, Map.of("WWW-Authenticate", "Bearer realm=\"callrouter\""));
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }
}
