package org.callrouter.server.callback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import net.openhft.chronicle.hash.ChronicleHashCorruption;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.agrona.ErrorHandler;
import org.callrouter.routing.callback.Callback;

/**
 * The durable callback schedule: every callback by id in a Chronicle Map file
 * ({@code <data_dir>/callbacks.dat}), each entry {@link CallbackJson}. Written through the page
 * cache, so it survives a restart, {@code kill -9} or an OOM kill (not a power loss), as the
 * live-call store does. A file its last owner did not close ({@code callbacks.clean} absent) is
 * opened with Chronicle's recovery, which resets segment locks a killed process left taken.
 * Finished callbacks stay listed for {@link #KEEP_FINISHED_MS} after their last change.
 * Safe from several threads (Chronicle's segment locks); the scheduler is the only writer.
 */
public final class CallbackStore implements AutoCloseable {

    /** The file in {@code data_dir}. */
    public static final String FILE = "callbacks.dat";
    static final String CLEAN = "callbacks.clean";
    /** Callbacks the file is made for (live and recently finished together). */
    static final int CAPACITY = 100_000;
    /** How long a connected, given-up or cancelled callback is still listed. */
    static final long KEEP_FINISHED_MS = 7L * 24 * 3_600_000L;
    private static final int AVERAGE_VALUE_BYTES = 768;
    private static final int AVERAGE_KEY_BYTES = 20;

    private final Path file;
    private final ChronicleMap<String, byte[]> map;
    private final ErrorHandler errors;

    private CallbackStore(Path file, ChronicleMap<String, byte[]> map, ErrorHandler errors) {
        this.file = file;
        this.map = map;
        this.errors = errors;
    }

    /**
     * Opens (or creates) the store in {@code dataDir}, for the router that owns the data directory.
     *
     * @throws IllegalStateException when the file cannot be opened
     */
    public static CallbackStore open(Path dataDir, ErrorHandler errors) {
        final Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            final ChronicleMapBuilder<String, byte[]> builder = ChronicleMap.of(String.class, byte[].class)
                    .name("callbacks")
                    .averageKeySize(AVERAGE_KEY_BYTES)
                    .averageValueSize(AVERAGE_VALUE_BYTES)
                    .entries(CAPACITY)
                    .sparseFile(true);
            final boolean closedCleanly = Files.deleteIfExists(dataDir.resolve(CLEAN));
            final ChronicleMap<String, byte[]> map = !closedCleanly && Files.exists(file)
                    ? builder.recoverPersistedTo(file.toFile(), false,
                    (ChronicleHashCorruption.Listener) corruption -> errors.onError(new IllegalStateException(
                            "callback store " + file + " after a crash: " + corruption.message())))
                    : builder.createPersistedTo(file.toFile());
            return new CallbackStore(file, map, errors);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot open the callback store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores a callback as it now is (scheduler thread). */
    public void put(Callback callback) {
        map.put(callback.id(), CallbackJson.encode(callback));
    }

    /** The callback with this id, or null. */
    public Callback get(String id) {
        final byte[] value = map.get(id);
        return value == null ? null : CallbackJson.decode(value);
    }

    /** Every callback stored, the latest change first; an entry that cannot be read is reported and skipped. */
    public List<Callback> all() {
        final List<Callback> all = new ArrayList<>(map.size());
        for (byte[] value : map.values()) {
            try {
                all.add(CallbackJson.decode(value));
            } catch (IllegalArgumentException e) {
                errors.onError(new IllegalStateException("callback store " + file + ": " + e.getMessage(), e));
            }
        }
        all.sort(Comparator.comparingLong(Callback::updatedMs).reversed().thenComparing(Callback::id));
        return all;
    }

    /** Forgets finished callbacks last changed more than {@link #KEEP_FINISHED_MS} before {@code nowMs}; returns how many. */
    public int prune(long nowMs) {
        int removed = 0;
        for (Callback callback : all()) {
            if (callback.state().terminal() && nowMs - callback.updatedMs() > KEEP_FINISHED_MS) {
                map.remove(callback.id());
                removed++;
            }
        }
        return removed;
    }

    public int size() {
        return map.size();
    }

    @Override
    public void close() {
        map.close();
        try {
            Files.write(file.resolveSibling(CLEAN), new byte[0]);
        } catch (IOException e) {
            errors.onError(new IOException("callback store: cannot mark " + file + " closed", e));
        }
    }
}
