package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;

import java.nio.file.Path;

/**
 * Visitor sessions of number pools: a session id (128 bits) → the session's bytes, encoded by
 * the pool package. Persisted so that leases survive a restart or a {@code kill -9}: every
 * change is written to the memory-mapped file before the visitor hears of it. Only the router
 * serving calls opens it; callers serialise writes to one key (one pool's lock).
 */
public final class SessionStore {

    /** Typical encoded session: a landing page and referrer URL, a few UTM values and click ids. */
    static final int AVERAGE_VALUE_BYTES = 512;

    /** Receives each stored session. */
    public interface Visitor {
        void session(long high, long low, byte[] value);
    }

    private final ChronicleMap<SessionKey, byte[]> map;
    private final StoreCapacity capacity;
    private final ThreadLocal<SessionKey> keys = ThreadLocal.withInitial(SessionKey::new);

    SessionStore(Path file, int capacity) {
        this.map = ChronicleFiles.open(ChronicleMap.of(SessionKey.class, byte[].class)
                .name("pool-sessions")
                .constantKeySizeBySample(new SessionKey())
                .averageValueSize(AVERAGE_VALUE_BYTES)
                .entries(capacity)
                // Sparse: the file takes disk as sessions fill it, not capacity x 512 B at creation
                // (as the live-call store, which is sized for the worst case too).
                .sparseFile(true), file, "pool sessions");
        this.capacity = new StoreCapacity("sessions", "pool sessions", "max_sessions", capacity, map);
    }

    /**
     * Stores a session (inserting or replacing).
     *
     * @throws StoreFullException when the session is new and the store has no room
     */
    public void put(long high, long low, byte[] value) {
        SessionKey key = keys.get().set(high, low);
        if (!map.containsKey(key)) {
            capacity.checkRoom();
        }
        try {
            map.put(key, value);
        } catch (IllegalStateException e) {
            throw capacity.translate(e);
        }
    }

    /** Removes a session; whether it was stored. */
    public boolean remove(long high, long low) {
        return map.remove(keys.get().set(high, low)) != null;
    }

    /** Calls {@code visitor} with every stored session. */
    public void forEach(Visitor visitor) {
        SessionKey key = new SessionKey();
        map.forEachEntry(entry -> {
            entry.key().getUsing(key);
            visitor.session(key.high, key.low, entry.value().get());
        });
    }

    public long size() {
        return map.longSize();
    }

    /** How full the store is. */
    public StoreCapacity capacity() {
        return capacity;
    }

    void close() {
        map.close();
    }
}
