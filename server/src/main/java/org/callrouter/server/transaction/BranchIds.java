package org.callrouter.server.transaction;

/**
 * Identifiers the router mints: Via branches (RFC 3261 8.1.1.7, magic cookie first), tags
 * (19.3), Call-IDs (8.1.1.4) and the call keys that authorise postback conversions.
 *
 * <p>All of them come from a {@link SecureRandomBuffer}, not from {@code ThreadLocalRandom}:
 * one 64-bit output of {@code ThreadLocalRandom} gives away its whole state (its output
 * function is invertible), so a carrier that saw one tag of ours could compute the tags,
 * B-leg Call-IDs and branches of every later call, forge in-dialog requests (BYE, re-INVITE)
 * or responses into them, and derive their call keys. RFC 3261 19.3 asks for tags and
 * Call-IDs a blind attacker cannot guess; a branch is what a response is matched by. 64 bits
 * for tags, Call-IDs and branches, 128 for the key. The generator is per thread (the SIP loop
 * owns its own, uncontended); an identifier costs a copy out of its buffer.
 *
 * <p>{@code ThreadLocalRandom} stays where predictability is harmless: the routing decision's
 * weighted order and the record id's random part (ids are not secrets; the key is).
 */
public final class BranchIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final ThreadLocal<Minter> MINTER = ThreadLocal.withInitial(Minter::new);

    /** What a thread mints with: its generator, and the mark of the SIP worker it runs (or none). */
    private static final class Minter {
        final SecureRandomBuffer random = SecureRandomBuffer.drbg();
        String workerMark = "";
    }

    private BranchIds() {
    }

    /**
     * Marks every branch and Call-ID this thread mints from now on with SIP worker {@code worker}
     * ({@link WorkerKey}), so the responses and in-dialog requests they bring back are handed to
     * that worker. Called once by each worker's loop when there are several; with one worker
     * nothing is marked and identifiers are as they always were.
     */
    public static void markWorker(int worker) {
        MINTER.get().workerMark = WorkerKey.mark(worker);
    }

    /**
     * A new branch parameter, {@code z9hG4bK}, this thread's worker mark ({@link #markWorker})
     * and 16 hex digits.
     */
    public static String branch() {
        final Minter m = MINTER.get();
        return "z9hG4bK" + m.workerMark + hex(m.random.nextLong());
    }

    /** A new From/To tag: 16 hex digits. */
    public static String tag() {
        return hex(MINTER.get().random.nextLong());
    }

    /**
     * The unique part of a Call-ID we mint: this thread's worker mark ({@link #markWorker}) and
     * 64 unguessable bits in hex. The Call-ID may have one letter before it ({@link WorkerKey}).
     */
    public static String callIdPart() {
        final Minter m = MINTER.get();
        return m.workerMark + hex(m.random.nextLong());
    }

    /** A new call key: 128 bits from a {@code SecureRandom}, 32 hex digits. */
    public static String callKey() {
        return callKey(MINTER.get().random);
    }

    /** A client nonce for a Digest response (RFC 7616 3.4: {@code cnonce}): 128 bits, 32 hex digits. */
    public static String cnonce() {
        return callKey(MINTER.get().random);
    }

    /** A call key drawn from {@code random}. */
    static String callKey(SecureRandomBuffer random) {
        final long high = random.nextLong();
        return hex(high) + hex(random.nextLong());
    }

    /** 16 lowercase hex digits of {@code value}. */
    public static String hex(long value) {
        final char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        return new String(out);
    }
}
