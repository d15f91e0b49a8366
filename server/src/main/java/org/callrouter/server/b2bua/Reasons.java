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

    /** A {@code Reason} header value (RFC 3326) saying why the router answered {@code status}. */
    static String header(int status, String text) {
        return "SIP;cause=" + status + ";text=\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
