package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.nio.file.Path;
import java.util.Arrays;

import org.callrouter.routing.caps.CounterCells;

/**
 * Persisted cap counters: one entry per handler code holding a packed cell per cap window.
 * A write replaces the entry in place under its segment lock, reusing per-thread key and
 * value objects, so it allocates nothing.
 */
public final class CounterStore {

    private final ChronicleMap<LongCell, CounterRecord> map;
    private final boolean writable;
    private final StoreCapacity capacity;
    private final ThreadLocal<LongCell> keys = ThreadLocal.withInitial(LongCell::new);
    private final ThreadLocal<CounterRecord> records = ThreadLocal.withInitial(CounterRecord::new);

    CounterStore(Path file, int capacity, boolean writable) {
        this.writable = writable;
        this.map = ChronicleFiles.open(ChronicleMap.of(LongCell.class, CounterRecord.class)
                .name("cap-counters")
                .constantKeySizeBySample(new LongCell())
                .constantValueSizeBySample(new CounterRecord())
                .entries(capacity), file, "cap counter");
        this.capacity = new StoreCapacity("counters", "cap counter", "max_counters", capacity, map);
    }

    /** The cells of a handler; a read-only store refuses writes. */
    public CounterCells cells(int handlerCode) {
        return new HandlerCells(handlerCode);
    }

    /** How full the store is. */
    public StoreCapacity capacity() {
        return capacity;
    }

    /** One handler's entry. */
    private final class HandlerCells implements CounterCells {
        private final int code;

        HandlerCells(int code) {
            this.code = code;
        }

        @Override
        public void load(long[] packed) {
            LongCell key = keys.get();
            key.value = code;
            CounterRecord record = map.getUsing(key, records.get());
            if (record == null) {
                Arrays.fill(packed, 0);
            } else {
                System.arraycopy(record.cells, 0, packed, 0, CounterRecord.CELLS);
            }
        }

        @Override
        public void store(long[] packed) {
            if (!writable) {
                throw new IllegalStateException("this router only inspects: its cap counters are read-only");
            }
            LongCell key = keys.get();
            key.value = code;
            CounterRecord record = records.get();
            System.arraycopy(packed, 0, record.cells, 0, CounterRecord.CELLS);
            try (ExternalMapQueryContext<LongCell, CounterRecord, ?> context = map.queryContext(key)) {
                context.writeLock().lock();
                MapEntry<LongCell, CounterRecord> entry = context.entry();
                if (entry != null) {
                    context.replaceValue(entry, context.wrapValueAsData(record));
                } else {
                    capacity.checkRoom();
                    context.insert(context.absentEntry(), context.wrapValueAsData(record));
                }
            } catch (IllegalStateException e) {
                throw capacity.translate(e);
            }
        }
    }

    void close() {
        map.close();
    }
}
