package org.callrouter.sip.validate;

import java.util.List;

/**
 * Why a request is refused: the status and reason phrase to answer with, and header lines the
 * answer must carry, e.g. {@code "Unsupported: foo"} with 420 (RFC 3261 8.2.2.3) or
 * {@code "Accept: application/sdp"} with 415 (RFC 3261 8.2.3).
 *
 * @param status           the SIP status code (400..699)
 * @param reason           a reason phrase: printable ASCII, no CR or LF
 * @param extraHeaderLines complete header lines ("Name: value") without CRLF
 */
public record Rejection(int status, String reason, List<String> extraHeaderLines) {

    /** Checks the status and copies the header lines. */
    public Rejection {
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("status " + status + " is not an error status");
        }
        extraHeaderLines = List.copyOf(extraHeaderLines);
    }

    /** A rejection without extra header lines. */
    public static Rejection of(int status, String reason) {
        return new Rejection(status, reason, List.of());
    }
}
