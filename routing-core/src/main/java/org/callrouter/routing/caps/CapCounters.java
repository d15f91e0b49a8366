package org.callrouter.routing.caps;

import org.callrouter.routing.config.Caps;

/**
 * One handler's cap state: live calls (concurrency) and, per {@link CapWindow}, the
 * committed count (persisted) and the pending holds (calls that may still count: a
 * {@code connected}-trigger call that is ringing, a {@code converted}-trigger call in
 * progress).
 *
 * <p>A check and its increment are one step under the handler's monitor, so threads racing
 * for the last slot cannot both get it. The check is {@code committed + pending < cap}
 * for every window and {@code live < concurrency}: a hold counts against the cap from the
 * moment the handler is selected, so a cap is never overrun while calls ring.
 *
 * <p>A count belongs to the window that was current when the handler was selected. When a
 * window ends, its counts stop mattering: the next reservation starts the new window at
 * zero, and later commits or releases of the old window's holds are ignored.
 *
 * <p>Concurrency and holds live in memory only: after a restart there are no live calls.
 * Committed counts are written through to {@link CounterCells} on every change (one
 * store write per change, inside the monitor so writes reach the store in order).
 */
public final class CapCounters {

    /** Returned by {@link #tryAcquire} when every cap had room. */
    public static final int GRANTED = -1;
    /** Returned by {@link #tryAcquire} when concurrency was full; window caps return their ordinal. */
    public static final int CONCURRENCY = 4;

    private static final int WINDOWS = CapWindow.count();

    private final CounterCells cells;
    private final long[] windowIds = new long[WINDOWS];
    private final int[] committed = new int[WINDOWS];
    private final int[] pending = new int[WINDOWS];
    private final long[] packed = new long[WINDOWS];
    private int live;

    /** Loads the committed counts from the cells. */
    public CapCounters(CounterCells cells) {
        this.cells = cells;
        cells.load(packed);
        for (int w = 0; w < WINDOWS; w++) {
            windowIds[w] = CounterCells.windowId(packed[w]);
            committed[w] = CounterCells.count(packed[w]);
        }
    }

    /**
     * Checks every cap and takes a slot in one atomic step.
     *
     * @param current   the current window ids (see {@link WindowClock#windowIds})
     * @param caps      the limits
     * @param commitNow count in every window now (trigger {@code routed}); otherwise hold
     * @return {@link #GRANTED}, {@link #CONCURRENCY}, or the ordinal of the full window
     */
    public synchronized int tryAcquire(long[] current, Caps caps, boolean commitNow) {
        if (caps.concurrency() != Caps.NONE && live >= caps.concurrency()) {
            return CONCURRENCY;
        }
        if (!windowed(caps)) {
            live++;
            return GRANTED;
        }
        boolean rolled = false;
        for (int w = 0; w < WINDOWS; w++) {
            rolled |= roll(w, current[w]);
        }
        for (int w = 0; w < WINDOWS; w++) {
            int limit = limit(caps, w);
            if (limit != Caps.NONE && committed[w] + pending[w] >= limit) {
                if (rolled) {
                    persist();
                }
                return w;
            }
        }
        live++;
        for (int w = 0; w < WINDOWS; w++) {
            if (commitNow) {
                committed[w]++;
            } else {
                pending[w]++;
            }
        }
        if (commitNow || rolled) {
            persist();
        }
        return GRANTED;
    }

    /** Turns the holds taken in {@code held} windows into counts (answered, converted). */
    public synchronized void commitHold(long[] held) {
        for (int w = 0; w < WINDOWS; w++) {
            if (windowIds[w] == held[w]) {
                pending[w]--;
                committed[w]++;
            }
        }
        persist();
    }

    /**
     * The call is over or failed over: one live call less and, when {@code dropHold}, the
     * holds taken in {@code held} windows are dropped (no answer, not converted).
     */
    public synchronized void release(long[] held, boolean dropHold) {
        live--;
        if (dropHold) {
            for (int w = 0; w < WINDOWS; w++) {
                if (windowIds[w] == held[w]) {
                    pending[w]--;
                }
            }
        }
    }

    /**
     * Counts one event in the windows current at {@code current} without a reservation
     * (a postback conversion for a {@code converted}-trigger handler after its call ended).
     */
    public synchronized void commitNow(long[] current) {
        for (int w = 0; w < WINDOWS; w++) {
            roll(w, current[w]);
            committed[w]++;
        }
        persist();
    }

    /** Resets one window's committed count to zero (the explicit reset of a total cap). */
    public synchronized void reset(CapWindow window) {
        committed[window.ordinal()] = 0;
        persist();
    }

    /**
     * Which cap is full right now, without taking a slot: a hint for routing and explain
     * (read without the monitor; {@link #tryAcquire} decides).
     *
     * @param limits the caps as {@link #limits(Caps)} gives them
     * @return {@link #GRANTED} when none is full, else as {@link #tryAcquire}
     */
    public int blocking(long[] current, int[] limits) {
        int concurrency = limits[CONCURRENCY];
        if (concurrency != Caps.NONE && live >= concurrency) {
            return CONCURRENCY;
        }
        for (int w = 0; w < WINDOWS; w++) {
            int limit = limits[w];
            if (limit != Caps.NONE && windowIds[w] == current[w] && committed[w] + pending[w] >= limit) {
                return w;
            }
        }
        return GRANTED;
    }

    /**
     * Whether the caps count calls in windows. A handler with only a concurrency cap (or none)
     * keeps no window counts, so its calls cost no store write; a windowed cap added by a
     * reload starts counting from then on.
     */
    public static boolean windowed(Caps caps) {
        return caps.hourly() != Caps.NONE || caps.daily() != Caps.NONE || caps.monthly() != Caps.NONE
                || caps.total() != Caps.NONE;
    }

    /** The caps as an array: one limit per {@link CapWindow} ordinal, then concurrency. */
    public static int[] limits(Caps caps) {
        int[] limits = new int[WINDOWS + 1];
        for (int w = 0; w < WINDOWS; w++) {
            limits[w] = limit(caps, w);
        }
        limits[CONCURRENCY] = caps.concurrency();
        return limits;
    }

    /** Committed plus pending in the current window (what counts against the cap). */
    public synchronized int used(CapWindow window, long[] current) {
        int w = window.ordinal();
        return windowIds[w] == current[w] ? committed[w] + pending[w] : 0;
    }

    /** Committed count in the current window. */
    public synchronized int committed(CapWindow window, long[] current) {
        int w = window.ordinal();
        return windowIds[w] == current[w] ? committed[w] : 0;
    }

    /** Live calls. */
    public synchronized int live() {
        return live;
    }

    /** Starts a new window when {@code currentId} is not the held one; whether it did. */
    private boolean roll(int w, long currentId) {
        if (windowIds[w] == currentId) {
            return false;
        }
        windowIds[w] = currentId;
        committed[w] = 0;
        pending[w] = 0;
        return true;
    }

    private void persist() {
        for (int w = 0; w < WINDOWS; w++) {
            packed[w] = CounterCells.pack(windowIds[w], committed[w]);
        }
        cells.store(packed);
    }

    private static int limit(Caps caps, int w) {
        return switch (CapWindow.at(w)) {
            case HOURLY -> caps.hourly();
            case DAILY -> caps.daily();
            case MONTHLY -> caps.monthly();
            case TOTAL -> caps.total();
        };
    }
}
