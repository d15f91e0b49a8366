package org.callrouter.server.stir;

/**
 * How the check of a PASSporT's signature ended.
 *
 * @param outcome what it found
 * @param reason  why it is not {@link Outcome#VERIFIED}, else null
 */
public record Verification(Outcome outcome, String reason) {

    /** What a signature check can find. */
    public enum Outcome {
        /** Signed by the key of a certificate that chains to a trust anchor. */
        VERIFIED,
        /** Known bad: the signature or the certificate does not hold. */
        INVALID,
        /** Not known: the certificate could not be had (fetch failed, timed out, verifier busy). */
        UNKNOWN
    }

    static final Verification VERIFIED = new Verification(Outcome.VERIFIED, null);

    static Verification invalid(String reason) {
        return new Verification(Outcome.INVALID, reason);
    }

    static Verification unknown(String reason) {
        return new Verification(Outcome.UNKNOWN, reason);
    }
}
