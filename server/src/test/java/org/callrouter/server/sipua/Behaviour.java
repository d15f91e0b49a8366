package org.callrouter.server.sipua;

import java.time.Duration;

/**
 * What a {@link Handler} does with one incoming INVITE.
 *
 * @param ringing        send {@code 180 Ringing} at once
 * @param earlyMedia     send {@code 183 Session Progress} with SDP at once (after the 180 when ringing)
 * @param finalAfter     when to send the final answer, counted from the INVITE; {@code null} never
 *                       (only a CANCEL ends the transaction: 200 to the CANCEL, 487 to the INVITE)
 * @param finalStatus    the final status (200 answers with SDP); 0 when {@code finalAfter} is null
 * @param hangUpAfterAck after answering, send BYE this long after the ACK arrives; {@code null} never
 */
public record Behaviour(boolean ringing, boolean earlyMedia, Duration finalAfter, int finalStatus,
                        Duration hangUpAfterAck) {

    /** Checks that the parts fit together. */
    public Behaviour {
        if ((finalAfter == null) != (finalStatus == 0)) {
            throw new IllegalArgumentException("finalAfter=" + finalAfter + " and finalStatus=" + finalStatus
                    + " must both be set or both be absent");
        }
        if (finalStatus != 0 && (finalStatus < 200 || finalStatus > 699)) {
            throw new IllegalArgumentException("finalStatus=" + finalStatus + " is not a final status (200-699)");
        }
        if (finalAfter != null && finalAfter.isNegative()) {
            throw new IllegalArgumentException("finalAfter=" + finalAfter + " is negative");
        }
        if (hangUpAfterAck != null && (finalStatus < 200 || finalStatus > 299)) {
            throw new IllegalArgumentException("hangUpAfterAck needs a 2xx answer, not finalStatus=" + finalStatus);
        }
    }

    /** 200 with SDP at once. */
    public static Behaviour answer() {
        return new Behaviour(false, false, Duration.ZERO, 200, null);
    }

    /** 180, then 200 with SDP after {@code delay}. */
    public static Behaviour ringThenAnswer(Duration delay) {
        return new Behaviour(true, false, delay, 200, null);
    }

    /** 180 and nothing else until a CANCEL (a handler nobody picks up at). */
    public static Behaviour ringForever() {
        return new Behaviour(true, false, null, 0, null);
    }

    /** No provisional and no final answer beyond the stack's own {@code 100 Trying}, until a CANCEL. */
    public static Behaviour silent() {
        return new Behaviour(false, false, null, 0, null);
    }

    /** {@code 486 Busy Here} at once. */
    public static Behaviour busy() {
        return reject(486);
    }

    /** The final {@code status} at once (a 2xx answers with SDP). */
    public static Behaviour reject(int status) {
        return new Behaviour(false, false, Duration.ZERO, status, null);
    }

    /** 180, then the final {@code status} after {@code delay}. */
    public static Behaviour ringThenReject(Duration delay, int status) {
        return new Behaviour(true, false, delay, status, null);
    }

    /** 200 with SDP at once, then BYE {@code afterAck} after the ACK arrives. */
    public static Behaviour answerThenHangUp(Duration afterAck) {
        return new Behaviour(false, false, Duration.ZERO, 200, afterAck);
    }

    /** The same, with a {@code 183 Session Progress} carrying SDP before anything else final. */
    public Behaviour withEarlyMedia() {
        return new Behaviour(ringing, true, finalAfter, finalStatus, hangUpAfterAck);
    }
}
