package org.callrouter.routing.caps;

/**
 * Where a handler's committed counts are persisted: one 64-bit cell per {@link CapWindow},
 * holding the window id in the high 32 bits and the count in the low 32 bits.
 */
public interface CounterCells {

    /** The cell's value (0 when never written). */
    long get(CapWindow window);

    /** Stores the cell's value (a plain ordered write: the store is memory-mapped). */
    void set(CapWindow window, long packed);

    /** Cells that are not persisted (a handler known only to a read-only router). */
    CounterCells NONE = new CounterCells() {
        @Override
        public long get(CapWindow window) {
            return 0;
        }

        @Override
        public void set(CapWindow window, long packed) {
            throw new IllegalStateException("counters of this router are read-only");
        }
    };

    static long pack(long windowId, int count) {
        return windowId << 32 | (count & 0xFFFF_FFFFL);
    }

    static long windowId(long packed) {
        return packed >> 32;
    }

    static int count(long packed) {
        return (int) packed;
    }
}
