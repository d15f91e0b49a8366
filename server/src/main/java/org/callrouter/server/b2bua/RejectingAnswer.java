package org.callrouter.server.b2bua;

import java.nio.charset.StandardCharsets;

/**
 * An SDP answer that refuses every stream of an offer (RFC 3264 section 6: the same m-lines,
 * each with port 0). A callback whose customer was not reached still owes the answered
 * handler an ACK, and its 2xx carried an offer (RFC 3725 flow I), so the ACK must carry an
 * answer (RFC 3261 13.2.2.4); this one sets up no media before the BYE that follows.
 */
final class RejectingAnswer {

    static final String CONTENT_TYPE = "application/sdp";

    private RejectingAnswer() {
    }

    /** @param offer the offer's bytes (UTF-8 text) */
    static byte[] to(byte[] offer) {
        final StringBuilder sdp = new StringBuilder(160)
                .append("v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n");
        for (String line : new String(offer, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.startsWith("m=")) {
                // m=<media> <port>[/<count>] <proto> <fmt> ...: port 0, the first format kept.
                final String[] fields = line.substring(2).trim().split(" +");
                if (fields.length >= 4) {
                    sdp.append("m=").append(fields[0]).append(" 0 ").append(fields[2]).append(' ').append(fields[3])
                            .append("\r\n");
                }
            }
        }
        return sdp.toString().getBytes(StandardCharsets.UTF_8);
    }
}
