package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

import java.io.IOException;
import java.nio.file.Path;

/** Opening Chronicle Map files. */
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
}
