package org.callrouter.routing.caps;

import java.util.Arrays;

/**
 * Where a handler's committed counts are persisted: one 64-bit cell per {@link CapWindow}
 * (indexed by ordinal), holding the window id in the high 32 bits and the count in the low
 * 32 bits. All cells are written together, so one store write follows each change.
 */
public interface CounterCells {

    /** Fills {@code packed} with the stored cells (zeros when never written). */
    void load(long[] packed);

    /** Stores every cell. */
    void store(long[] packed);

    /** Cells that are not persisted (a handler known only to an inspecting router). */
    CounterCells NONE = new CounterCells() {
        @Override
        public void load(long[] packed) {
            Arrays.fill(packed, 0);
        }

        @Override
        public void store(long[] packed) {
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
