package org.callrouter.server.records;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Answers to the admin API's requests through the ring buffer: the requester opens a ticket,
 * publishes it with the request, and waits on the future; the emitter completes it.
 */
final class Tickets {

    private final AtomicLong next = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<Object>> open = new ConcurrentHashMap<>();

    /** A new ticket whose answer will complete {@code future}. */
    long open(CompletableFuture<Object> future) {
        final long ticket = next.incrementAndGet();
        open.put(ticket, future);
        return ticket;
    }

    /** Completes the ticket (ignored when it was given up on). */
    void complete(long ticket, Object answer) {
        final CompletableFuture<Object> future = open.remove(ticket);
        if (future != null) {
            future.complete(answer);
        }
    }

    /** The requester stopped waiting (timeout, or the request could not be published). */
    void abandon(long ticket) {
        open.remove(ticket);
    }
}
