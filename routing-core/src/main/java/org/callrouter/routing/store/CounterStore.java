package org.callrouter.routing.store;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.values.Values;

import java.nio.file.Path;

import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.caps.CounterCells;

/**
 * Persisted cap counters: one 64-bit cell per handler and {@link CapWindow}. A serving
 * router holds a direct reference into each cell's memory-mapped value ({@code acquireUsing}
 * with a native {@link LongValue}), so writing a count through is one ordered store; the
 * cells of a handler are created on first use and never removed, so the references stay
 * valid while the store is open.
 */
public final class CounterStore {

    private static final int WINDOWS = CapWindow.values().length;

    private final ChronicleMap<LongCell, LongValue> map;
    private final boolean writable;
    private final int capacity;

    CounterStore(Path file, int capacity, boolean writable) {
        this.writable = writable;
        this.capacity = capacity;
        this.map = ChronicleFiles.open(ChronicleMap.of(LongCell.class, LongValue.class)
                .name("cap-counters")
                .constantKeySizeBySample(new LongCell())
                .entries(capacity), file, "cap counter");
    }

    /**
     * The cells of a handler. Writable stores return live references; a read-only store
     * returns the values as they are now, and refuses writes.
     */
    public CounterCells cells(int handlerCode) {
        LongValue[] refs = new LongValue[WINDOWS];
        long[] snapshot = new long[WINDOWS];
        for (CapWindow window : CapWindow.values()) {
            LongCell key = new LongCell((long) handlerCode * WINDOWS + window.ordinal());
            if (writable) {
                try {
                    refs[window.ordinal()] = map.acquireUsing(key, Values.newNativeReference(LongValue.class));
                } catch (RuntimeException e) {
                    throw ChronicleFiles.isFull(e) ? ChronicleFiles.full("cap counter", "max_counters", map.size(), e) : e;
                }
            } else {
                LongValue value = map.get(key);
                snapshot[window.ordinal()] = value == null ? 0 : value.getValue();
            }
        }
        return writable ? new LiveCells(refs) : new SnapshotCells(snapshot);
    }

    public int capacity() {
        return capacity;
    }

    /** Cells backed by references into the memory-mapped map. */
    private record LiveCells(LongValue[] refs) implements CounterCells {
        @Override
        public long get(CapWindow window) {
            return refs[window.ordinal()].getVolatileValue();
        }

        @Override
        public void set(CapWindow window, long packed) {
            refs[window.ordinal()].setOrderedValue(packed);
        }
    }

    /** Values read once, for a router that only inspects. */
    private record SnapshotCells(long[] values) implements CounterCells {
        @Override
        public long get(CapWindow window) {
            return values[window.ordinal()];
        }

        @Override
        public void set(CapWindow window, long packed) {
            throw new IllegalStateException("this router only inspects: its cap counters are read-only");
        }
    }

    void close() {
        map.close();
    }
}
