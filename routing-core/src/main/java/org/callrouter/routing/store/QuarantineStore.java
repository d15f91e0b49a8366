package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.quarantine.QuarantinedNumber;

/**
 * Quarantined numbers: E.164 (as a {@code long}) → the campaign it left, when, and its calls
 * since, in a persisted Chronicle Map, so quarantine survives a restart or a {@code kill -9}
 * and is seen by {@code router numbers} beside a serving router.
 *
 * <p>Only numbers that are not tracked are looked up here (a call to an untracked number), so
 * the tracked-number path never touches this map.
 */
public final class QuarantineStore {

    private final ChronicleMap<LongCell, QuarantineRecord> map;
    private final SymbolTable symbols;
    private final StoreCapacity capacity;

    QuarantineStore(Path file, SymbolTable symbols, int capacity) {
        this.symbols = symbols;
        this.map = ChronicleFiles.open(ChronicleMap.of(LongCell.class, QuarantineRecord.class)
                .name("quarantined-numbers")
                .constantKeySizeBySample(new LongCell())
                .constantValueSizeBySample(new QuarantineRecord())
                .entries(capacity), file, "quarantined numbers");
        this.capacity = new StoreCapacity("quarantine", "quarantined numbers", "max_numbers", capacity, map);
    }

    /**
     * Puts a number removed from campaign {@code campaignCode} into quarantine at {@code nowMs};
     * a number already quarantined keeps its first removal time and its calls.
     *
     * @return whether it was not quarantined before
     * @throws StoreFullException when the store has no room
     */
    public boolean quarantine(long e164, int campaignCode, long nowMs) {
        LongCell key = new LongCell(e164);
        if (map.containsKey(key)) {
            return false;
        }
        capacity.checkRoom();
        QuarantineRecord record = new QuarantineRecord();
        record.campaignCode = campaignCode;
        record.removedAtMs = nowMs;
        record.lastCallMs = QuarantinedNumber.NO_CALL;
        try {
            return map.putIfAbsent(key, record) == null;
        } catch (IllegalStateException e) {
            throw capacity.translate(e);
        }
    }

    /**
     * Counts a call to {@code e164} at {@code nowMs} if it is quarantined.
     *
     * @return the number's state after the call, or null when it is not quarantined
     */
    public QuarantinedNumber called(long e164, long nowMs) {
        LongCell key = new LongCell(e164);
        QuarantineRecord after = map.computeIfPresent(key, (k, r) -> {
            r.lastCallMs = Math.max(r.lastCallMs, nowMs);
            r.calls++;
            return r;
        });
        return after == null ? null : view(e164, after);
    }

    /** The number's quarantine, if it is quarantined. */
    public Optional<QuarantinedNumber> find(long e164) {
        QuarantineRecord r = map.get(new LongCell(e164));
        return r == null ? Optional.empty() : Optional.of(view(e164, r));
    }

    /** Takes a number out of quarantine; whether it was quarantined. */
    public boolean release(long e164) {
        return map.remove(new LongCell(e164)) != null;
    }

    /** Every quarantined number, by number. */
    public List<QuarantinedNumber> list() {
        List<QuarantinedNumber> all = new ArrayList<>();
        LongCell key = new LongCell();
        map.forEachEntry(e -> all.add(view(e.key().getUsing(key).value, e.value().get())));
        all.sort(Comparator.comparing(QuarantinedNumber::number));
        return all;
    }

    /** How many numbers are quarantined. */
    public long size() {
        return map.longSize();
    }

    /** How full the store is. */
    public StoreCapacity capacity() {
        return capacity;
    }

    private QuarantinedNumber view(long e164, QuarantineRecord r) {
        return new QuarantinedNumber(PhoneNumbers.format(e164), symbols.name(SymbolTable.Kind.CAMPAIGN, r.campaignCode),
                r.removedAtMs, r.lastCallMs, r.calls);
    }

    void close() {
        map.close();
    }
}
