package org.callrouter.loadtest.carrier;

/**
 * The identifiers of the carrier's calls, made from the call's key and sequence number and the
 * run's nonce when needed rather than stored (a run keeps tens of thousands of calls, most of them
 * lingering): Call-ID {@code key-seq-nonce@host}, From tag {@code nonce-seq}, branches
 * {@code z9hG4bK nonce-key-seq} plus {@code i} (INVITE and its CANCEL), {@code a} (the 2xx's ACK)
 * or {@code b} (BYE). Responses and requests find their call by the key each starts with; the
 * nonce keeps messages of an earlier run from matching.
 */
final class CallIds {

    /** The branch of the INVITE, and of its CANCEL and non-2xx ACK (RFC 3261 9.1, 17.1.1.3). */
    static final char INVITE = 'i';
    /** The branch of the ACK of a 2xx, a transaction of its own (RFC 3261 13.2.2.4). */
    static final char ACK = 'a';
    /** The branch of the BYE. */
    static final char BYE = 'b';

    private final String nonce;
    private final String branchPrefix;
    private final String callIdSuffix;

    /** Identifiers for the run {@code nonce} (a token) of a carrier on {@code host}. */
    CallIds(String nonce, String host) {
        this.nonce = nonce;
        this.branchPrefix = "z9hG4bK" + nonce + "-";
        this.callIdSuffix = "-" + nonce + "@" + host;
    }

    String callId(int key, long seq) {
        return key + "-" + seq + callIdSuffix;
    }

    String fromTag(long seq) {
        return nonce + "-" + seq;
    }

    String branch(int key, long seq, char kind) {
        return branchPrefix + key + "-" + seq + kind;
    }

    /** The key a branch of this run starts with; -1 for another branch. */
    int keyOfBranch(String branch) {
        return branch == null || !branch.startsWith(branchPrefix) ? -1 : leadingKey(branch, branchPrefix.length());
    }

    /** The key a Call-ID of this run starts with; -1 for another Call-ID. */
    int keyOfCallId(String callId) {
        return callId.endsWith(callIdSuffix) ? leadingKey(callId, 0) : -1;
    }

    /** The decimal number at {@code from}, up to a '-'; -1 when there is none. */
    private static int leadingKey(String id, int from) {
        int n = 0;
        int i = from;
        for (; i < id.length() && i - from < 8; i++) {
            char c = id.charAt(i);
            if (c == '-') {
                break;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return i > from && i < id.length() && id.charAt(i) == '-' ? n : -1;
    }
}
