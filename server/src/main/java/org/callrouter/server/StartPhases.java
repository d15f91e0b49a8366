package org.callrouter.server;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The phases of a router's start, each logged at INFO with its duration when it ends, so that an
 * operator (and the start-up benchmark) sees where the time before "listening" goes. Used by one
 * thread: the one that starts the router.
 */
public final class StartPhases {

    private static final Logger LOG = LoggerFactory.getLogger(StartPhases.class);

    private final boolean log;
    private long phaseStartNs = System.nanoTime();

    public StartPhases() {
        this(true);
    }

    private StartPhases(boolean log) {
        this.log = log;
    }

    /** Phases that are not logged: the warm-up's own router starting (not the operator's). */
    static StartPhases silent() {
        return new StartPhases(false);
    }

    /** Logs how long the JVM took to reach {@code main} (its own start and the heap's pre-touch). */
    public static void jvmStarted() {
        LOG.info("start: JVM up {} ms after the process started (heap reserved and pre-touched, classes loaded)",
                sinceProcessStartMs());
    }

    /** Logs {@code phase} with the time since the last phase ended (or since this object was made). */
    public void ended(String phase) {
        final long now = System.nanoTime();
        if (log) {
            LOG.info("start: {} in {} ms", phase, (now - phaseStartNs) / 1_000_000);
        }
        phaseStartNs = now;
    }

    /** Milliseconds since the operating system started this process; -1 where it does not tell. */
    public static long sinceProcessStartMs() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis())
                .orElse(-1L);
    }
}
