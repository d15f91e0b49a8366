package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.nio.file.Path;
import java.util.function.IntToLongFunction;

/**
 * What the router remembers per caller and campaign: the handler that answered the
 * caller's last call (repeat callers) and each side's last conversion (dedupe windows and
 * postback idempotency). Updates run under the entry's Chronicle segment lock, so a check
 * and its update are atomic across threads and processes.
 */
public final class CallerIndex {

    /** Conversion sides. */
    public enum Side { SOURCE, HANDLER }

    /** Outcome of {@link #convert}. */
    public enum Conversion {
        /** The caller converted now (the index records it). */
        CONVERTED,
        /** The caller already converted in this campaign within the dedupe window (in another call). */
        DEDUPED,
        /** This very call already converted (a repeated postback). */
        SAME_CALL
    }

    private final ChronicleMap<CallerKey, CallerRecord> map;
    private final StoreCapacity capacity;
    private final ThreadLocal<CallerKey> keys = ThreadLocal.withInitial(CallerKey::new);
    private final ThreadLocal<CallerRecord> records = ThreadLocal.withInitial(CallerRecord::new);

    CallerIndex(Path file, int capacity) {
        this.map = ChronicleFiles.open(ChronicleMap.of(CallerKey.class, CallerRecord.class)
                .name("callers")
                .constantKeySizeBySample(new CallerKey())
                .constantValueSizeBySample(new CallerRecord())
                .entries(capacity), file, "caller index");
        this.capacity = new StoreCapacity("callers", "caller index", "max_callers", capacity, map);
    }

    /**
     * The handler code that answered this caller's last call in the campaign at or after
     * {@code sinceMs}, or -1. Allocation-free.
     */
    public int lastHandler(long caller, int campaign, long sinceMs) {
        CallerRecord record = map.getUsing(keys.get().set(caller, campaign), records.get());
        return record == null || record.lastHandler < 0 || record.lastAnsweredAtMs < sinceMs ? -1 : record.lastHandler;
    }

    /** When the handler of {@link #lastHandler} answered (epoch ms), or 0. */
    public long lastAnsweredAtMs(long caller, int campaign) {
        CallerRecord record = map.getUsing(keys.get().set(caller, campaign), records.get());
        return record == null ? 0 : record.lastAnsweredAtMs;
    }

    /**
     * Records that {@code handler} answered the caller's call in the campaign.
     *
     * @throws StoreFullException when the caller is new and the index is full
     */
    public void recordAnswered(long caller, int campaign, int handler, long nowMs) {
        update(caller, campaign, record -> {
            record.lastHandler = handler;
            record.lastAnsweredAtMs = nowMs;
            return true;
        });
    }

    /**
     * Converts the caller on one side unless it converted within the dedupe window, in one
     * atomic step.
     *
     * @param callHash    identifies the call (a repeated postback for it is {@link Conversion#SAME_CALL})
     * @param windowMs    dedupe window; 0 = none, {@link Long#MAX_VALUE} = forever
     * @param convertedAt receives the time of the earlier conversion when the result is
     *                    not {@link Conversion#CONVERTED} (index 0)
     */
    public Conversion convert(long caller, int campaign, Side side, long callHash, long nowMs, long windowMs,
                              long[] convertedAt) {
        int s = side == Side.SOURCE ? CallerRecord.SOURCE : CallerRecord.HANDLER;
        Conversion[] result = new Conversion[1];
        update(caller, campaign, record -> {
            long previous = record.convertedAtMs[s];
            if (previous != 0 && record.convertedCallHash[s] == callHash) {
                result[0] = Conversion.SAME_CALL;
                convertedAt[0] = previous;
                return false;
            }
            if (previous != 0 && windowMs > 0 && (windowMs == Long.MAX_VALUE || nowMs - previous < windowMs)) {
                result[0] = Conversion.DEDUPED;
                convertedAt[0] = previous;
                return false;
            }
            record.convertedAtMs[s] = nowMs;
            record.convertedCallHash[s] = callHash;
            result[0] = Conversion.CONVERTED;
            return true;
        });
        return result[0];
    }

    /**
     * Removes entries nothing can use any more: those whose latest event is older than
     * the campaign's retention.
     *
     * @param retentionMs per campaign code: how long its entries matter ({@link Long#MAX_VALUE} = forever)
     * @return how many entries were removed
     */
    public int purge(long nowMs, IntToLongFunction retentionMs) {
        int[] removed = new int[1];
        CallerKey key = new CallerKey();
        CallerRecord record = new CallerRecord();
        map.forEachEntry(entry -> {
            entry.key().getUsing(key);
            entry.value().getUsing(record);
            long retention = retentionMs.applyAsLong(key.campaign);
            if (retention != Long.MAX_VALUE && nowMs - record.latestMs() > retention) {
                entry.doRemove();
                removed[0]++;
            }
        });
        return removed[0];
    }

    public long size() {
        return map.longSize();
    }

    /** How full the index is. */
    public StoreCapacity capacity() {
        return capacity;
    }

    /** A change to one record; returns whether it changed anything. */
    private interface Change {
        boolean apply(CallerRecord record);
    }

    private void update(long caller, int campaign, Change change) {
        CallerKey key = keys.get().set(caller, campaign);
        CallerRecord record = records.get();
        try (ExternalMapQueryContext<CallerKey, CallerRecord, ?> context = map.queryContext(key)) {
            context.updateLock().lock();
            MapEntry<CallerKey, CallerRecord> entry = context.entry();
            if (entry != null) {
                entry.value().getUsing(record);
            } else {
                record.clear();
            }
            if (!change.apply(record)) {
                return;
            }
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

    void close() {
        map.close();
    }
}
