package org.callrouter.routing.lead;

import java.util.Locale;

/**
 * The status of a lead's session, with the meaning the onboarding views give it. A call's
 * status follows from its record by {@link #ofCall}; a web session is {@link #NEW} until a
 * call comes through it (then it takes the call's status) or it ends without one
 * ({@link #EXPIRED}).
 */
public enum SessionStatus {
    /** Just created: a visitor session no call came through yet. */
    NEW,
    /** Ringing or live. */
    PROCESSING,
    /** Answered and, where the campaign converts, converted. */
    COMPLETE,
    /** Refused: blocked, no handler, nobody answered, caller hung up, or answered and not converted. */
    REJECTED,
    /** The router or a handler failed. */
    FAILED,
    /** A web session that ended without a call. */
    EXPIRED;

    /** The name in JSON, the database and the API ({@code complete}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed names
     */
    public static SessionStatus fromWire(String name) {
        return WireNames.parse(values(), SessionStatus::wireName, name, "session status",
                "new, processing, complete, rejected, failed or expired");
    }

    /**
     * The session status of a call (the table in the server README):
     * <ul>
     * <li>{@code in-progress} → PROCESSING;</li>
     * <li>{@code completed}, answered, and converted or in a campaign that does not convert →
     *     COMPLETE;</li>
     * <li>{@code completed}, answered, not converted in a converting campaign → REJECTED: in
     *     pay-per-call the buyer did not accept the call, which is what "rejected" means to the
     *     operator; a later conversion line makes it COMPLETE;</li>
     * <li>{@code no-answer}, {@code busy}, {@code canceled}, {@code rejected} (and a
     *     {@code completed} call without an answer) → REJECTED;</li>
     * <li>{@code failed}, {@code interrupted}, and any status this version does not know →
     *     FAILED (a record the router cannot read is the router's failure, never a success).</li>
     * </ul>
     */
    public static SessionStatus ofCall(String callStatus, boolean answered, boolean converted,
                                       boolean campaignConverts) {
        if (callStatus == null) {
            return FAILED;
        }
        return switch (callStatus) {
            case "in-progress" -> PROCESSING;
            case "completed" -> answered && (converted || !campaignConverts) ? COMPLETE : REJECTED;
            case "no-answer", "busy", "canceled", "rejected" -> REJECTED;
            default -> FAILED;
        };
    }
}
