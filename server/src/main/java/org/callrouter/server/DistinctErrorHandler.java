package org.callrouter.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives errors caught at the edge of an event-loop iteration. Each distinct error (type,
 * message and throwing frame) is logged with its stack trace once; repeats are only counted,
 * so a peer that triggers the same fault a million times cannot flood the log.
 */
public final class DistinctErrorHandler implements ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DistinctErrorHandler.class);

    private final ConcurrentHashMap<String, LongAdder> seen = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    @Override
    public void onError(Throwable error) {
        total.increment();
        final String key = keyOf(error);
        final LongAdder count = seen.computeIfAbsent(key, k -> new LongAdder());
        count.increment();
        if (count.sum() == 1) {
            LOG.error("internal error (logged once, then counted): {}", key, error);
        }
    }

    /** Errors seen since start, repeats included. */
    public long total() {
        return total.sum();
    }

    /** Distinct errors seen since start. */
    public int distinct() {
        return seen.size();
    }

    private static String keyOf(Throwable error) {
        // The message is left out on purpose: it often carries per-call values (a Call-ID, an
        // address) that would make every occurrence distinct.
        final StackTraceElement[] trace = error.getStackTrace();
        final String where = trace.length > 0 ? trace[0].toString() : "?";
        return error.getClass().getName() + " at " + where;
    }
}
