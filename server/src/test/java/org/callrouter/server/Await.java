package org.callrouter.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for something a test can observe (a file line, an HTTP request, a counter), checking
 * every few milliseconds; gives up after the bound with an {@link AssertionError} that says
 * what was awaited and what was seen instead.
 */
public final class Await {

    private Await() {
    }

    /** Waits until {@code condition} holds. */
    public static void until(Duration bound, BooleanSupplier condition, Supplier<String> seen) {
        final long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound + ": " + seen.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + seen.get(), e);
            }
        }
    }
}
