package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.nio.file.Path;

/** Opening Chronicle Map files and turning Chronicle's exceptions into ours. */
final class ChronicleFiles {

    private ChronicleFiles() {
    }

    /**
     * Opens the map persisted at {@code file}, creating it when absent. Several processes
     * may have the same file open: Chronicle Map's segment locks live in the file.
     */
    static <K, V> ChronicleMap<K, V> open(ChronicleMapBuilder<K, V> builder, Path file, String what) {
        try {
            return builder.createPersistedTo(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new StoreException("cannot open the " + what + " store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether an exception from a Chronicle Map write means the map has no room left
     * (Chronicle reports that as an IllegalStateException about segment tiers).
     */
    static boolean isFull(RuntimeException e) {
        return e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().contains("segment tier");
    }

    static StoreFullException full(String what, String setting, long size, RuntimeException cause) {
        return new StoreFullException("the " + what + " store is full (" + size + " entries); raise server.stores."
                + setting + " and rebuild the store (see routing-core/README.md, \"Stores\")", cause);
    }
}
