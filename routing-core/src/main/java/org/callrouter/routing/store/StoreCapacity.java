package org.callrouter.routing.store;

import java.util.concurrent.atomic.AtomicLong;

import net.openhft.chronicle.map.ChronicleMap;

/**
 * How full a store is and the refusal when it is full. A store holds at most its configured
 * entries ({@code server.stores.max_*}): an insert past that is refused with a
 * {@link StoreFullException} before Chronicle Map is asked, so "full" is one type, known
 * before a write half-happens, and the fill ratio a metric can watch goes from 0 to 1.
 *
 * <p>Chronicle Map itself accepts about twice the entries it was created for (its extra
 * segment tiers) and then throws a bare {@link IllegalStateException}. That limit is only met
 * when the setting was raised above the size the file was created with; it is recognised by
 * the exception's type together with the map's state ({@link ChronicleMap#remainingAutoResizes()}
 * is 0), never by its message.
 *
 * <p>Counting entries ({@link ChronicleMap#longSize()}) reads every segment's header (1–5 µs
 * for 128 segments), so inserts are checked against an allowance: after an exact count finds
 * {@code room} entries free, the next {@code room / 2} inserts of this process go unchecked.
 * Another process inserting into the same file (the numbers importer beside the router) gets
 * at most the other half, so together they cannot pass the capacity.
 */
public final class StoreCapacity {

    private final String name;
    private final String what;
    private final String setting;
    private final long capacity;
    private final ChronicleMap<?, ?> map;
    private final AtomicLong allowance = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param name     short name for metrics and readiness ({@code callers})
     * @param what     what the store holds, for messages ({@code caller index})
     * @param setting  the {@code server.stores} setting that sizes it, or null when fixed
     * @param capacity entries it may hold
     */
    StoreCapacity(String name, String what, String setting, long capacity, ChronicleMap<?, ?> map) {
        this.name = name;
        this.what = what;
        this.setting = setting;
        this.capacity = capacity;
        this.map = map;
    }

    /**
     * Called before inserting a new entry (an update of an existing one needs no room).
     *
     * @throws StoreFullException when the store holds its capacity
     */
    void checkRoom() {
        if (allowance.decrementAndGet() >= 0) {
            return;
        }
        final long room = capacity - map.longSize();
        if (room <= 0) {
            allowance.set(0);
            refused.incrementAndGet();
            throw full(null);
        }
        allowance.set(room / 2);
    }

    /**
     * What a Chronicle Map write failure means: a {@link StoreFullException} when the map has
     * no segment tier left to grow into, else the failure itself.
     */
    RuntimeException translate(RuntimeException e) {
        if (e instanceof IllegalStateException && !map.isClosed() && map.remainingAutoResizes() == 0) {
            refused.incrementAndGet();
            return full(e);
        }
        return e;
    }

    private StoreFullException full(Throwable cause) {
        final String raise = setting == null ? "" : "; raise server.stores." + setting
                + " and rebuild the store (see routing-core/README.md, \"Stores\")";
        return new StoreFullException("the " + what + " store is full (" + map.longSize() + " of " + capacity
                + " entries)" + raise, cause);
    }

    /** Short name: {@code numbers}, {@code counters}, {@code callers} or {@code symbols}. */
    public String name() {
        return name;
    }

    /** The {@code server.stores} setting that sizes the store, or null when its size is fixed. */
    public String setting() {
        return setting;
    }

    /** Entries the store may hold. */
    public long capacity() {
        return capacity;
    }

    /** Entries it holds now (all processes' inserts). */
    public long entries() {
        return map.longSize();
    }

    /** Entries over capacity: 0 empty, 1 full. */
    public double fillRatio() {
        return (double) map.longSize() / capacity;
    }

    /** Inserts refused because the store was full, since this process opened it. */
    public long refused() {
        return refused.get();
    }
}
