package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.quarantine.CallMark;
import org.callrouter.routing.quarantine.NumberWindow;

/**
 * Calls and marked (spam, misdirected) calls per tracked number and UTC day, persisted, for the
 * spam share over {@code number_policy.spam_window_days}. A number's days form a ring of
 * {@value #RING_DAYS} slots (key: the number and the day modulo the ring; the value keeps the
 * whole day), so a slot a year old is reused, not kept: at most {@value #RING_DAYS} entries per
 * number, and the windows (at most 365 days) never reach a reused slot. Written on the record
 * emitter's thread, never on the SIP thread.
 */
public final class NumberDayStore {

    /** Day slots per number; larger than the longest window. */
    static final int RING_DAYS = 512;
    private static final long DAY_MS = 86_400_000L;

    private final ChronicleMap<LongCell, NumberDayRecord> map;
    private final StoreCapacity capacity;

    NumberDayStore(Path file, int capacity) {
        this.map = ChronicleFiles.open(ChronicleMap.of(LongCell.class, NumberDayRecord.class)
                .name("number-days")
                .constantKeySizeBySample(new LongCell())
                .constantValueSizeBySample(new NumberDayRecord())
                .entries(capacity), file, "number days");
        this.capacity = new StoreCapacity("number_days", "calls per number and day", "max_numbers", capacity, map);
    }

    /** Counts a call to {@code e164} received at {@code atMs}. @throws StoreFullException when full */
    public void countCall(long e164, long atMs) {
        update(e164, atMs, null);
    }

    /** Counts a mark of a call to {@code e164} received at {@code atMs}. @throws StoreFullException when full */
    public void countMark(long e164, long atMs, CallMark mark) {
        update(e164, atMs, mark);
    }

    private void update(long e164, long atMs, CallMark mark) {
        int day = (int) Math.floorDiv(atMs, DAY_MS);
        LongCell key = new LongCell(key(e164, day));
        // One locked look-up that reads into a plain instance and writes back: a containsKey and
        // a compute (whose value Chronicle instantiated by reflection) were two, and a seventh of
        // the record emitter's Java time (loadtest/RESULTS.md, "Where a call's CPU goes").
        try (ExternalMapQueryContext<LongCell, NumberDayRecord, ?> context = map.queryContext(key)) {
            context.writeLock().lock();
            MapEntry<LongCell, NumberDayRecord> entry = context.entry();
            NumberDayRecord record = entry == null ? null : entry.value().getUsing(new NumberDayRecord());
            if (record == null || record.day != day) {
                record = fresh(day);
            }
            if (mark == null) {
                record.calls++;
            } else if (mark == CallMark.SPAM) {
                record.spam++;
            } else {
                record.misdirected++;
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

    /** The number's counts over the {@code days} days up to and including the day of {@code nowMs}. */
    public NumberWindow window(long e164, long nowMs, int days) {
        int today = (int) Math.floorDiv(nowMs, DAY_MS);
        long calls = 0;
        long spam = 0;
        long misdirected = 0;
        LongCell key = new LongCell();
        NumberDayRecord using = new NumberDayRecord();
        for (int day = today - days + 1; day <= today; day++) {
            key.value = key(e164, day);
            NumberDayRecord r = map.getUsing(key, using);
            if (r != null && r.day == day) {
                calls += r.calls;
                spam += r.spam;
                misdirected += r.misdirected;
            }
        }
        return new NumberWindow(PhoneNumbers.format(e164), calls, spam, misdirected);
    }

    /** Every number with calls or marks in the window, by number. */
    public List<NumberWindow> windows(long nowMs, int days) {
        int today = (int) Math.floorDiv(nowMs, DAY_MS);
        Map<Long, long[]> sums = new HashMap<>();
        LongCell key = new LongCell();
        map.forEachEntry(e -> {
            NumberDayRecord r = e.value().get();
            if (r.day > today - days && r.day <= today) {
                long[] sum = sums.computeIfAbsent(e.key().getUsing(key).value / RING_DAYS, n -> new long[3]);
                sum[0] += r.calls;
                sum[1] += r.spam;
                sum[2] += r.misdirected;
            }
        });
        List<NumberWindow> all = new ArrayList<>(sums.size());
        sums.forEach((n, s) -> all.add(new NumberWindow(PhoneNumbers.format(n), s[0], s[1], s[2])));
        all.sort(Comparator.comparing(NumberWindow::number));
        return all;
    }

    /** How full the store is. */
    public StoreCapacity capacity() {
        return capacity;
    }

    private static long key(long e164, int day) {
        return e164 * RING_DAYS + Math.floorMod(day, RING_DAYS);
    }

    private static NumberDayRecord fresh(int day) {
        NumberDayRecord r = new NumberDayRecord();
        r.day = day;
        return r;
    }

    void close() {
        map.close();
    }
}
