package org.callrouter.server.sipua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Everything of one kind a test peer received, in arrival order, with blocking waits that wake on
 * each new item (no polling) and give up at a deadline with a message listing what did arrive.
 *
 * @param <T> the kind of item
 */
final class Recorder<T> {
    private final String kind;
    private final List<T> items = new ArrayList<>();

    Recorder(String kind) {
        this.kind = kind;
    }

    synchronized void add(T item) {
        items.add(item);
        notifyAll();
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    synchronized List<T> matching(Predicate<? super T> filter) {
        return items.stream().filter(filter).toList();
    }

    /**
     * Waits until {@code count} recorded items match {@code filter} and returns the first
     * {@code count} of them.
     *
     * @param what what the test waits for, for the failure message
     * @throws AssertionError when the timeout passes first
     */
    synchronized List<T> await(Predicate<? super T> filter, int count, Duration timeout, String what) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<T> found = matching(filter);
            if (found.size() >= count) {
                return found.subList(0, count);
            }
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + count + " × " + what
                        + " (found " + found.size() + "); " + kind + " so far: " + items);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, leftNs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** {@link #await} for one item. */
    T awaitFirst(Predicate<? super T> filter, Duration timeout, String what) {
        return await(filter, 1, timeout, what).get(0);
    }
}
