package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipResponse;

/**
 * Which SIP worker owns a message: the key every message of a call shares, on both legs and in
 * every transaction, so that one loop handles the whole call (server README, "SIP workers").
 *
 * <ul>
 *   <li>A response belongs to the worker that sent its request: the router's top Via branch
 *       carries that worker's mark ({@code z9hG4bKw1.…}, {@link BranchIds#markWorker}).</li>
 *   <li>A request belongs to the worker its Call-ID names: a Call-ID the router minted (a B leg
 *       to a handler, a callback, a probe) carries its worker's mark at its start or after one
 *       letter ({@code bw1.…@host}); any other (a carrier's call) is hashed, so every request
 *       of the carrier's dialog, its CANCEL and its ACK, hash alike.</li>
 * </ul>
 * A mark is taken modulo the number of workers, so a message minted by a process that ran more
 * workers (crash recovery), or a carrier's Call-ID that happens to look marked, still has one
 * owner. A message whose Call-ID or Via cannot be read goes to worker 0, which answers it as
 * malformed.
 */
public final class WorkerKey {

    private static final String MAGIC_COOKIE = "z9hG4bK";

    private WorkerKey() {
    }

    /** The mark of worker {@code worker} in branches and Call-IDs the router mints. */
    static String mark(int worker) {
        return "w" + worker + ".";
    }

    /** The worker of {@code workers} that owns {@code message}. */
    public static int of(SipMessage message, int workers) {
        try {
            if (message instanceof SipResponse) {
                final int marked = marked(message.topVia().branch(), MAGIC_COOKIE.length(), workers);
                if (marked >= 0) {
                    return marked;
                }
            }
            return ofCallId(message.callId(), workers);
        } catch (RuntimeException e) {
            // No readable Call-ID or Via (SipParseException): worker 0 answers it as malformed.
            return 0;
        }
    }

    /** The worker of {@code workers} that owns requests of the dialog {@code callId}. */
    static int ofCallId(String callId, int workers) {
        int marked = marked(callId, 0, workers);
        if (marked < 0 && !callId.isEmpty()) {
            marked = marked(callId, 1, workers);
        }
        return marked >= 0 ? marked : Integer.remainderUnsigned(spread(callId.hashCode()), workers);
    }

    /** The worker a mark at {@code at} in {@code text} names, modulo {@code workers}; -1 when unmarked. */
    static int marked(String text, int at, int workers) {
        if (text == null || text.length() < at + 3 || text.charAt(at) != 'w') {
            return -1;
        }
        long worker = 0;
        int i = at + 1;
        final int end = Math.min(text.length(), at + 1 + 10);
        for (; i < end; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            worker = worker * 10 + (c - '0');
        }
        if (i == at + 1 || i >= text.length() || text.charAt(i) != '.') {
            return -1;
        }
        return (int) (worker % workers);
    }

    /** Mixes a String hash so that its low bits, which pick the worker, depend on every character. */
    private static int spread(int hash) {
        final int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
