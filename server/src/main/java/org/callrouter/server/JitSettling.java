package org.callrouter.server;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether the JIT is still compiling, from the compilers' total time: it has settled once it
 * grew by less than {@link #QUIET_SHARE} of the wall-clock time over a {@link #WINDOW_NS}
 * window. Polled by the warm-up's last phase.
 * <p>
 * Why the warm-up needs it: while the JIT's queue is long, HotSpot raises the invocation counts
 * a method needs before C2 takes it (scaled by the queue's length), so under a full-speed warm-up
 * the hottest methods of the call path ran 50,000-80,000 times in C1's profiling code and were
 * still waiting when the sockets opened. Real traffic then found a short queue and some 700 C2
 * compilations ran in its first seconds, beside the calls. A slow trickle of calls after the
 * full-speed phase lets those methods ask again while the queue is short, and this says when
 * they have been compiled.
 */
final class JitSettling {

    private static final long WINDOW_NS = 200_000_000L;
    /** Compile time under 5% of the window: a few small methods, not the call path. */
    private static final double QUIET_SHARE = 0.05;

    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final boolean measured = jit != null && jit.isCompilationTimeMonitoringSupported();
    private long windowStartNs = System.nanoTime();
    private long windowStartCompileMs = measured ? jit.getTotalCompilationTime() : 0;
    private boolean settled = !measured;

    /** True until a window passes with the compilers nearly idle (at once false where the JVM does not tell). */
    boolean compiling() {
        if (settled) {
            return false;
        }
        final long now = System.nanoTime();
        if (now - windowStartNs >= WINDOW_NS) {
            final long compileMs = jit.getTotalCompilationTime();
            settled = (compileMs - windowStartCompileMs) * 1_000_000.0 < QUIET_SHARE * (now - windowStartNs);
            windowStartNs = now;
            windowStartCompileMs = compileMs;
        }
        return !settled;
    }
}
