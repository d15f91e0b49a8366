package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Callers whose calls were marked spam: blocked from every campaign from then on, persisted
 * (caller E.164 → when it was blocked). The router reads a sorted copy in memory, so the check
 * on each call is a binary search with no map lookup; a block replaces the copy.
 */
public final class BlockedCallerStore {

    private final ChronicleMap<LongCell, LongCell> map;
    private final StoreCapacity capacity;
    private volatile long[] sorted;

    BlockedCallerStore(Path file, int capacity) {
        LongCell sample = new LongCell();
        this.map = ChronicleFiles.open(ChronicleMap.of(LongCell.class, LongCell.class)
                .name("blocked-callers")
                .constantKeySizeBySample(sample)
                .constantValueSizeBySample(sample)
                .entries(capacity), file, "blocked callers");
        this.capacity = new StoreCapacity("blocked_callers", "callers blocked as spam", "max_callers", capacity, map);
        reread();
    }

    /** Whether {@code caller} (E.164 as a number) is blocked. Allocation-free. */
    public boolean contains(long caller) {
        long[] now = sorted;
        return now.length > 0 && Arrays.binarySearch(now, caller) >= 0;
    }

    /**
     * Blocks a caller from {@code atMs} on; whether it was not blocked before.
     *
     * @throws StoreFullException when the store has no room
     */
    public synchronized boolean block(long caller, long atMs) {
        LongCell key = new LongCell(caller);
        if (map.containsKey(key)) {
            return false;
        }
        capacity.checkRoom();
        try {
            map.put(key, new LongCell(atMs));
        } catch (IllegalStateException e) {
            throw capacity.translate(e);
        }
        reread();
        return true;
    }

    /** How many callers are blocked. */
    public long size() {
        return map.longSize();
    }

    /** How full the store is. */
    public StoreCapacity capacity() {
        return capacity;
    }

    private void reread() {
        long[] all = new long[(int) map.longSize()];
        int[] n = {0};
        LongCell key = new LongCell();
        map.forEachEntry(e -> {
            if (n[0] < all.length) {
                all[n[0]++] = e.key().getUsing(key).value;
            }
        });
        long[] next = Arrays.copyOf(all, n[0]);
        Arrays.sort(next);
        sorted = next;
    }

    void close() {
        map.close();
    }
}
