package org.callrouter.server.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import net.openhft.chronicle.hash.ChronicleHashCorruption;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.agrona.ErrorHandler;

/**
 * The answered calls of this router, in a Chronicle Map file ({@code <data_dir>/live-calls.dat})
 * that outlives the process: written through the page cache, it survives {@code kill -9} or an
 * OOM kill without an fsync (not a power loss). The SIP loop puts a call when a handler answers
 * and a heartbeat every second; the record emitter removes a call once its record is written
 * to the journal ({@link LiveCallReleaser}). What is left at start belongs to calls the last
 * process died holding ({@link CrashRecovery}).
 *
 * <p>Each write is a few microseconds of memory copying into the mapped file, no system call:
 * that is all an answered call costs the SIP loop. Safe from several threads (Chronicle's
 * segment locks; each thread encodes with a codec of its own).
 */
public final class LiveCallStore implements AutoCloseable {

    /** The file in {@code data_dir}. */
    public static final String FILE = "live-calls.dat";
    /** Beside it while no router has it open: its last owner closed it (no lock can be left taken). */
    static final String CLEAN = "live-calls.clean";
    /** Not a call id (ids start with {@code c}): the key of the heartbeat. */
    private static final String ALIVE = "#alive";
    /** An answered call's entry is some 400-900 bytes: headers, tags, two dialogs. */
    private static final int AVERAGE_VALUE_BYTES = 1024;
    private static final int AVERAGE_KEY_BYTES = 24;

    private final Path file;
    private final ChronicleMap<String, byte[]> map;
    /** Each SIP worker loop encodes with its own codec (it reuses its buffer). */
    private final ThreadLocal<LiveCallCodec> codec = ThreadLocal.withInitial(LiveCallCodec::new);
    private final ErrorHandler errors;
    private final byte[] heartbeat = new byte[Long.BYTES];
    private final boolean owner;
    private final AtomicLong notStored = new AtomicLong();

    private LiveCallStore(Path file, ChronicleMap<String, byte[]> map, ErrorHandler errors, boolean owner) {
        this.file = file;
        this.map = map;
        this.errors = errors;
        this.owner = owner;
    }

    /**
     * Opens (or creates) the store in {@code dataDir} for the router that serves it. A process
     * killed in the middle of a write leaves that segment's lock taken in the file, so a file
     * its last owner did not close ({@link #CLEAN} absent) is opened with Chronicle's recovery,
     * which resets the locks and checks the entries: only while no other process has the file
     * open, that is, once this process holds the data directory's {@code router.lock}
     * ({@code Router.open}).
     *
     * @param capacity the calls it is created for ({@code server.sip.overload.max_active_calls});
     *                 a store that exists keeps the size it was created with.
     * @throws IllegalStateException when the file cannot be opened.
     */
    public static LiveCallStore open(Path dataDir, int capacity, ErrorHandler errors) {
        return open(dataDir, capacity, errors, true);
    }

    /**
     * Opens the store beside the router serving it, without recovery (tests and tools that
     * look at it; the file must exist).
     */
    public static LiveCallStore attach(Path dataDir, int capacity, ErrorHandler errors) {
        return open(dataDir, capacity, errors, false);
    }

    private static LiveCallStore open(Path dataDir, int capacity, ErrorHandler errors, boolean owner) {
        final Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            // Sparse: the file takes disk as calls fill it, not capacity x 1 KiB at creation
            // (200,000 calls: 250 MB and seconds of writing at each first start).
            final ChronicleMapBuilder<String, byte[]> builder = ChronicleMap.of(String.class, byte[].class)
                    .name("live-calls")
                    .averageKeySize(AVERAGE_KEY_BYTES)
                    .averageValueSize(AVERAGE_VALUE_BYTES)
                    .entries(Math.max(1024, capacity + 1L))
                    .sparseFile(true);
            final boolean closedCleanly = owner && Files.deleteIfExists(dataDir.resolve(CLEAN));
            final ChronicleMap<String, byte[]> map = owner && !closedCleanly && Files.exists(file)
                    // false: the file's own header says how it was built (max_active_calls may have
                    // changed since); true would rewrite it from this builder.
                    ? builder.recoverPersistedTo(file.toFile(), false,
                    (ChronicleHashCorruption.Listener) corruption -> errors.onError(new IllegalStateException(
                            "live-call store " + file + " after a crash: " + corruption.message())))
                    : builder.createPersistedTo(file.toFile());
            return new LiveCallStore(file, map, errors, owner);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot open the live-call store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A handler answered (SIP loop). A call that cannot be stored (store full, an entry too
     * large) goes on without: it is counted and reported, and a crash would lose its record.
     */
    public void answered(LiveCall call) {
        try {
            map.put(call.id(), codec.get().encode(call));
        } catch (RuntimeException e) {
            notStored(e);
        }
    }

    /** An answered call could not be stored (or its entry not even built): counted and reported. */
    public void notStored(RuntimeException cause) {
        notStored.incrementAndGet();
        errors.onError(new IllegalStateException("live-call store " + file + ": a call was not stored, a crash"
                + " would lose its record (" + map.size() + " entries): " + cause.getMessage(), cause));
    }

    /** The router is alive at {@code wallMs} (SIP loop, every second): the last evidence of life of its calls. */
    public void heartbeat(long wallMs) {
        ByteBuffer.wrap(heartbeat).putLong(0, wallMs);
        try {
            map.put(ALIVE, heartbeat);
        } catch (RuntimeException e) {
            errors.onError(e);
        }
    }

    /** The last heartbeat written, or {@code Long.MIN_VALUE} when none was. */
    public long lastHeartbeat() {
        final byte[] value = map.get(ALIVE);
        return value == null || value.length != Long.BYTES ? Long.MIN_VALUE : ByteBuffer.wrap(value).getLong(0);
    }

    /** The call's record is in the journal: forget it. */
    public void remove(String id) {
        map.remove(id);
    }

    /** The ids of the calls stored (the heartbeat left out). */
    public List<String> ids() {
        final List<String> ids = new ArrayList<>(map.size());
        for (String key : map.keySet()) {
            if (!ALIVE.equals(key)) {
                ids.add(key);
            }
        }
        return ids;
    }

    /**
     * A stored call.
     *
     * @return null when there is none.
     * @throws IllegalArgumentException when its entry cannot be read.
     */
    public LiveCall get(String id) {
        final byte[] value = map.get(id);
        return value == null ? null : LiveCallCodec.decode(value);
    }

    /** Calls stored. */
    public int size() {
        return map.containsKey(ALIVE) ? map.size() - 1 : map.size();
    }

    /** Answered calls that could not be stored since start. */
    public long notStored() {
        return notStored.get();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        map.close();
        if (owner) {
            try {
                Files.write(file.resolveSibling(CLEAN), new byte[0]);
            } catch (IOException e) {
                // Only the next start's recovery is at stake; it then runs as after a crash.
                errors.onError(new IOException("live-call store: cannot mark " + file + " closed", e));
            }
        }
    }
}
