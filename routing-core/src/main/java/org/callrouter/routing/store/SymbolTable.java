package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stable small-integer codes for campaign, source and handler ids, persisted and shared
 * between processes, so that the other stores hold ints (and lookups allocate nothing)
 * while a renamed or removed id never changes another id's code.
 *
 * <p>Codes are allocated from a per-kind sequence kept in the same map; allocation takes
 * the sequence entry's write lock (a Chronicle segment lock, which works across
 * processes) and then publishes the name with {@code putIfAbsent}, so two processes
 * interning the same name agree on one code (the loser's sequence number is skipped).
 */
public final class SymbolTable {

    /** The kinds of ids, each with its own code space starting at 1. */
    public enum Kind {
        CAMPAIGN('c'), SOURCE('s'), HANDLER('h');

        private final char prefix;

        Kind(char prefix) {
            this.prefix = prefix;
        }
    }

    private static final int AVERAGE_NAME_BYTES = 24;
    private static final int MAX_SYMBOLS = 500_000;

    private final ChronicleMap<String, Integer> map;
    private final StoreCapacity capacity;
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final boolean writable;

    SymbolTable(Path file, boolean writable) {
        this.writable = writable;
        this.map = ChronicleFiles.open(ChronicleMap.of(String.class, Integer.class)
                .name("symbols")
                .averageKeySize(AVERAGE_NAME_BYTES)
                .entries(MAX_SYMBOLS), file, "symbol");
        this.capacity = new StoreCapacity("symbols", "symbol", null, MAX_SYMBOLS, map);
    }

    /** The code of an id, allocating one when it has none. */
    public int intern(Kind kind, String id) {
        String key = kind.prefix + ":" + id;
        Integer code = map.get(key);
        if (code != null) {
            return code;
        }
        if (!writable) {
            return -1;
        }
        capacity.checkRoom();
        int next = nextCode(kind);
        Integer existing;
        try {
            existing = map.putIfAbsent(key, next);
        } catch (IllegalStateException e) {
            throw capacity.translate(e);
        }
        int result = existing != null ? existing : next;
        names.put(cacheKey(kind, result), id);
        return result;
    }

    /** How full the table is (campaign, source and handler ids ever used, and one sequence per kind). */
    public StoreCapacity capacity() {
        return capacity;
    }

    /** The code of an id, or -1 when it was never interned. */
    public int code(Kind kind, String id) {
        Integer code = map.get(kind.prefix + ":" + id);
        return code == null ? -1 : code;
    }

    /** The highest code allocated so far for a kind (0 when none). */
    public int lastCode(Kind kind) {
        Integer last = map.get("#" + kind.prefix);
        return last == null ? 0 : last;
    }

    /** The id of a code, or {@code null} when no process ever interned it. */
    public String name(Kind kind, int code) {
        String name = names.get(cacheKey(kind, code));
        if (name == null) {
            refresh();
            name = names.get(cacheKey(kind, code));
        }
        return name;
    }

    private void refresh() {
        map.forEachEntry(entry -> {
            String key = entry.key().get();
            if (key.length() > 2 && key.charAt(1) == ':') {
                for (Kind kind : Kind.values()) {
                    if (kind.prefix == key.charAt(0)) {
                        names.put(cacheKey(kind, entry.value().get()), key.substring(2));
                    }
                }
            }
        });
    }

    private int nextCode(Kind kind) {
        String sequence = "#" + kind.prefix;
        try (ExternalMapQueryContext<String, Integer, ?> context = map.queryContext(sequence)) {
            context.writeLock().lock();
            MapEntry<String, Integer> entry = context.entry();
            int next = entry == null ? 1 : entry.value().get() + 1;
            if (entry == null) {
                context.insert(context.absentEntry(), context.wrapValueAsData(next));
            } else {
                context.replaceValue(entry, context.wrapValueAsData(next));
            }
            return next;
        }
    }

    private static long cacheKey(Kind kind, int code) {
        return (long) kind.ordinal() << 32 | (code & 0xFFFF_FFFFL);
    }

    void close() {
        map.close();
    }
}
