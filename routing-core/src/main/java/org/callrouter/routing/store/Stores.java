package org.callrouter.routing.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.routing.config.ServerSettings;

/**
 * The Chronicle Map files under a data directory, opened together.
 *
 * <p>{@link Access#SERVE} takes an exclusive lock on {@code router.lock} so that two
 * routers cannot count the same caps; {@link Access#INSPECT} (explain) and
 * {@link Access#NUMBERS} (import, quarantine) take no lock and can run beside a serving router, since
 * Chronicle Map's locks are shared through the files.
 */
public final class Stores implements AutoCloseable {

    /** How a process uses the data directory. */
    public enum Access {
        /** A router serving calls: every store, writable, with the data directory's lock. */
        SERVE,
        /** Explaining decisions: every store, counters read-only, no lock. */
        INSPECT,
        /** Importing numbers: the symbol table, the numbers and the quarantine stores only, no lock. */
        NUMBERS
    }

    static final String LOCK_FILE = "router.lock";

    private final Path dataDir;
    private final SymbolTable symbols;
    private final NumberStore numbers;
    private final QuarantineStore quarantine;
    private final CounterStore counters;
    private final CallerIndex callers;
    private final NumberDayStore numberDays;
    private final BlockedCallerStore blockedCallers;
    private final SessionStore sessions;
    private final FileChannel lockChannel;

    private Stores(Path dataDir, SymbolTable symbols, NumberStore numbers, QuarantineStore quarantine,
                   CounterStore counters, CallerIndex callers, NumberDayStore numberDays,
                   BlockedCallerStore blockedCallers, SessionStore sessions, FileChannel lockChannel) {
        this.dataDir = dataDir;
        this.symbols = symbols;
        this.numbers = numbers;
        this.quarantine = quarantine;
        this.counters = counters;
        this.callers = callers;
        this.numberDays = numberDays;
        this.blockedCallers = blockedCallers;
        this.sessions = sessions;
        this.lockChannel = lockChannel;
    }

    /**
     * Opens (creating when absent) the stores under {@code dataDir}.
     *
     * @throws StoreException when the directory cannot be used or another router serves from it
     */
    public static Stores open(Path dataDir, ServerSettings.Stores sizes, Access access) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory " + dataDir + ": " + e, e);
        }
        FileChannel lock = access == Access.SERVE ? lock(dataDir) : null;
        SymbolTable symbols = null;
        NumberStore numbers = null;
        QuarantineStore quarantine = null;
        CounterStore counters = null;
        CallerIndex callers = null;
        NumberDayStore numberDays = null;
        try {
            symbols = new SymbolTable(dataDir.resolve("symbols.cmap"), access != Access.INSPECT);
            numbers = new NumberStore(dataDir.resolve("numbers.cmap"), symbols, sizes.maxNumbers());
            quarantine = new QuarantineStore(dataDir.resolve("quarantine.cmap"), symbols, sizes.maxNumbers());
            if (access == Access.NUMBERS) {
                return new Stores(dataDir, symbols, numbers, quarantine, null, null, null, null, null, null);
            }
            counters = new CounterStore(dataDir.resolve("counters.cmap"), sizes.maxCounters(), access == Access.SERVE);
            callers = new CallerIndex(dataDir.resolve("callers.cmap"), sizes.maxCallers());
            numberDays = new NumberDayStore(dataDir.resolve("number-days.cmap"), sizes.maxNumbers());
            BlockedCallerStore blocked = new BlockedCallerStore(dataDir.resolve("blocked-callers.cmap"),
                    sizes.maxCallers());
            // Only the serving router keeps visitor sessions; explaining a call to a pool number
            // needs the number's campaign and source alone.
            SessionStore sessions = access == Access.SERVE
                    ? new SessionStore(dataDir.resolve("pool-sessions.cmap"), sizes.maxSessions()) : null;
            return new Stores(dataDir, symbols, numbers, quarantine, counters, callers, numberDays, blocked, sessions,
                    lock);
        } catch (RuntimeException e) {
            if (numberDays != null) {
                numberDays.close();
            }
            if (callers != null) {
                callers.close();
            }
            if (counters != null) {
                counters.close();
            }
            if (quarantine != null) {
                quarantine.close();
            }
            if (numbers != null) {
                numbers.close();
            }
            if (symbols != null) {
                symbols.close();
            }
            closeQuietly(lock);
            throw e;
        }
    }

    private static FileChannel lock(Path dataDir) {
        Path file = dataDir.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dataDir, null);
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(dataDir, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + file + ": " + e, e);
        } catch (StoreException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static StoreException inUse(Path dataDir, Throwable cause) {
        return new StoreException("the data directory " + dataDir + " is in use by another router;"
                + " give each router its own server.data_dir", cause);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing only releases the lock; there is nothing to report.
            }
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public NumberStore numbers() {
        return numbers;
    }

    /** Numbers taken out of their campaign, waiting until they may be assigned again. */
    public QuarantineStore quarantine() {
        return quarantine;
    }

    /** @throws IllegalStateException when opened for {@link Access#NUMBERS} */
    public CounterStore counters() {
        if (counters == null) {
            throw new IllegalStateException("opened for numbers only");
        }
        return counters;
    }

    /** @throws IllegalStateException when opened for {@link Access#NUMBERS} */
    public CallerIndex callers() {
        if (callers == null) {
            throw new IllegalStateException("opened for numbers only");
        }
        return callers;
    }

    /** Calls and marked calls per number and day. @throws IllegalStateException when opened for {@link Access#NUMBERS} */
    public NumberDayStore numberDays() {
        if (numberDays == null) {
            throw new IllegalStateException("opened for numbers only");
        }
        return numberDays;
    }

    /** Callers blocked as spam. @throws IllegalStateException when opened for {@link Access#NUMBERS} */
    public BlockedCallerStore blockedCallers() {
        if (blockedCallers == null) {
            throw new IllegalStateException("opened for numbers only");
        }
        return blockedCallers;
    }

    /** Visitor sessions of number pools; null unless opened for {@link Access#SERVE}. */
    public SessionStore sessions() {
        return sessions;
    }

    /**
     * Test seam: closes the caller index alone, under a router that keeps serving. A call that then
     * remembers a caller or records a conversion meets what Chronicle Map throws for a map closed
     * under it ({@code ChronicleHashClosedException}, an {@link IllegalStateException}), a failure
     * that still throws where a full index no longer does; the other stores stay open, so calls
     * that do not touch the index go on. The index cannot be reopened: only {@link #close} follows
     * (closing a Chronicle Map twice is harmless). Nothing in the router calls it.
     *
     * @throws IllegalStateException when opened for {@link Access#NUMBERS}
     */
    public void closeCallerIndex() {
        callers().close();
    }

    /** How full each open store is: numbers, counters and callers (when open), sessions (when open), symbols. */
    public List<StoreCapacity> capacities() {
        List<StoreCapacity> all = new ArrayList<>(4);
        all.add(numbers.capacity());
        all.add(quarantine.capacity());
        if (counters != null) {
            all.add(counters.capacity());
            all.add(callers.capacity());
            all.add(numberDays.capacity());
            all.add(blockedCallers.capacity());
        }
        if (sessions != null) {
            all.add(sessions.capacity());
        }
        all.add(symbols.capacity());
        return List.copyOf(all);
    }

    @Override
    public void close() {
        if (sessions != null) {
            sessions.close();
        }
        if (callers != null) {
            callers.close();
            numberDays.close();
            blockedCallers.close();
        }
        if (counters != null) {
            counters.close();
        }
        quarantine.close();
        numbers.close();
        symbols.close();
        closeQuietly(lockChannel);
    }
}
