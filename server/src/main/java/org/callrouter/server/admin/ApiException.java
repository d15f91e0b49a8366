package org.callrouter.server.admin;

import java.util.Map;

/**
 * A request the API refuses: its HTTP status (4xx, or 503), a message for the caller, the input
 * field at fault when one is, and the headers the status calls for ({@code Allow} with 405, RFC
 * 9110 15.5.6; {@code WWW-Authenticate} with 401, RFC 6750 3; {@code Retry-After} with 429, RFC
 * 6585 4). Answered as {@code {"error": {"code", "message", "field"}}} ({@link ApiResponse#error}).
 */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;
    private final transient Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, String> headers) {
        this(status, null, message, headers);
    }

    private ApiException(int status, String field, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
        this.headers = headers;
    }

    /** A 400 for one input field (a query parameter, a body member or a path segment's name). */
    static ApiException invalid(String field, String message) {
        return new ApiException(400, field, message, Map.of());
    }

    /** A 412: the resource changed since the {@code If-Match} tag was read (RFC 9110 13.1.1). */
    static ApiException stale(String message) {
        return new ApiException(412, "If-Match", message, Map.of());
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

    /** The input field at fault, or null. */
    String field() {
        return field;
    }

    /** The short machine word of {@link #status}: what a client branches on. */
    String code() {
        return ApiResponse.code(status);
    }

    Map<String, String> headers() {
        return headers;
    }
}
