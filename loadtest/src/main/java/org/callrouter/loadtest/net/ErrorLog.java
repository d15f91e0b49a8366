package org.callrouter.loadtest.net;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Errors met on the event loop: each distinct one (by where and what) printed once, all counted,
 * so a failing socket or a bug in a rare path shows up without flooding the terminal or stopping
 * the run. Loop thread only, except {@link #counts()} once the loop has stopped.
 */
public final class ErrorLog {

    private final PrintStream out;
    private final Map<String, Long> counts = new TreeMap<>();

    /** Prints first occurrences to {@code out}. */
    public ErrorLog(PrintStream out) {
        this.out = out;
    }

    /** Counts an error met while {@code doing}; prints it the first time. */
    public void report(String doing, Throwable error) {
        String key = doing.replaceAll("[0-9./:]+", "#") + ": " + error;
        if (counts.merge(key, 1L, Long::sum) == 1L) {
            out.println("loadgen: error " + doing + ": " + error);
        }
    }

    /** The errors met, by kind. */
    public Map<String, Long> counts() {
        return counts;
    }
}
