package org.callrouter.routing;

import java.util.Set;

/**
 * Call tags the server derives from the carrier's identity headers (server README, "Carrier
 * interop"): privacy (RFC 3323/3325), diversion (RFC 5806, History-Info RFC 7044) and the signed
 * identity of STIR/SHAKEN (RFC 8224/8225/8588). They are ordinary call tags for criteria,
 * records and webhooks; {@code server.sip.header_tags} may not name them, so that a carrier's
 * {@code X-} header cannot pose as one.
 */
public final class IdentityTags {

    /** {@code id} when the caller asked for privacy ({@code Privacy: id}, RPID {@code privacy=full}). */
    public static final String CALLER_PRIVACY = "caller_privacy";
    /** The number originally called, before the call was diverted (E.164 when it is a phone number). */
    public static final String DIVERTED_FROM = "diverted_from";
    /** Why it was diverted, as an RFC 5806 reason ({@code no-answer}, {@code user-busy}, ...). */
    public static final String DIVERSION_REASON = "diversion_reason";
    /** The PASSporT's {@code attest}: {@code A}, {@code B} or {@code C} (RFC 8588). */
    public static final String ATTESTATION = "attestation";
    /** {@code true} when the PASSporT's signature was verified in time, else {@code false}. */
    public static final String ATTESTATION_VERIFIED = "attestation_verified";
    /** The PASSporT's {@code orig.tn}. */
    public static final String ATTESTATION_ORIG = "attestation_orig";
    /** The PASSporT's first {@code dest.tn}. */
    public static final String ATTESTATION_DEST = "attestation_dest";
    /** The PASSporT's {@code iat}, seconds since the epoch. */
    public static final String ATTESTATION_IAT = "attestation_iat";
    /** The PASSporT's {@code origid}. */
    public static final String ATTESTATION_ORIGID = "attestation_origid";
    /** Why the Identity header was not (or not yet) good: malformed, stale, not verified... */
    public static final String ATTESTATION_ERROR = "attestation_error";

    private static final Set<String> ALL = Set.of(CALLER_PRIVACY, DIVERTED_FROM, DIVERSION_REASON, ATTESTATION,
            ATTESTATION_VERIFIED, ATTESTATION_ORIG, ATTESTATION_DEST, ATTESTATION_IAT, ATTESTATION_ORIGID,
            ATTESTATION_ERROR);

    private IdentityTags() {
    }

    /** Whether {@code tag} is one of these. */
    public static boolean isReserved(String tag) {
        return ALL.contains(tag);
    }
}
