package org.callrouter.routing.store;

import net.openhft.chronicle.map.ChronicleMap;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

import org.callrouter.routing.phone.PhoneNumbers;

/**
 * Tracked numbers: E.164 (as a {@code long}) → campaign and source (as symbol codes), in a
 * persisted Chronicle Map that several processes may have open at once (the router serving
 * calls while {@code router numbers import} loads more).
 *
 * <p>A lookup reuses one key and one value cell per thread and allocates nothing. Values
 * pack the campaign code in bits 32–62, the source code in bits 1–31 and whether the entry
 * came from the YAML in bit 0; they are never negative, so {@link #NOT_FOUND} is -1.
 */
public final class NumberStore {

    /** Returned by {@link #lookup} for a number that is not tracked. */
    public static final long NOT_FOUND = -1;

    /** What {@link #put} did. */
    public enum PutResult { INSERTED, UPDATED, UNCHANGED }

    private final ChronicleMap<LongCell, LongCell> map;
    private final SymbolTable symbols;
    private final StoreCapacity capacity;
    private final ThreadLocal<LongCell[]> cells = ThreadLocal.withInitial(() -> new LongCell[] {new LongCell(), new LongCell()});

    NumberStore(Path file, SymbolTable symbols, int capacity) {
        this.symbols = symbols;
        LongCell sample = new LongCell();
        this.map = ChronicleFiles.open(ChronicleMap.of(LongCell.class, LongCell.class)
                .name("tracked-numbers")
                .constantKeySizeBySample(sample)
                .constantValueSizeBySample(sample)
                .entries(capacity), file, "tracked numbers");
        this.capacity = new StoreCapacity("numbers", "tracked numbers", "max_numbers", capacity, map);
    }

    /** The packed entry of an E.164 number, or {@link #NOT_FOUND}. Allocation-free. */
    public long lookup(long e164) {
        LongCell[] scratch = cells.get();
        scratch[0].value = e164;
        LongCell found = map.getUsing(scratch[0], scratch[1]);
        return found == null ? NOT_FOUND : found.value;
    }

    /** Campaign symbol code of a packed entry. */
    public static int campaignCode(long packed) {
        return (int) (packed >>> 32);
    }

    /** Source symbol code of a packed entry. */
    public static int sourceCode(long packed) {
        return (int) ((packed & 0xFFFF_FFFFL) >>> 1);
    }

    /** Whether a packed entry came from the YAML. */
    public static boolean fromYaml(long packed) {
        return (packed & 1) != 0;
    }

    /** The packed entry of a campaign code, a source code and the YAML flag. */
    public static long pack(int campaignCode, int sourceCode, boolean fromYaml) {
        return (long) campaignCode << 32 | (long) sourceCode << 1 | (fromYaml ? 1 : 0);
    }

    /**
     * Stores a number by codes (no validation of the codes: importers validate).
     *
     * @throws StoreFullException when the store has no room
     */
    public PutResult put(long e164, int campaignCode, int sourceCode, boolean fromYaml) {
        long packed = pack(campaignCode, sourceCode, fromYaml);
        LongCell[] scratch = cells.get();
        scratch[0].value = e164;
        LongCell previous = map.getUsing(scratch[0], scratch[1]);
        if (previous != null && previous.value == packed) {
            return PutResult.UNCHANGED;
        }
        boolean existed = previous != null;
        scratch[1].value = packed;
        if (!existed) {
            capacity.checkRoom();
        }
        try {
            map.put(scratch[0], scratch[1]);
        } catch (IllegalStateException e) {
            throw capacity.translate(e);
        }
        return existed ? PutResult.UPDATED : PutResult.INSERTED;
    }

    /**
     * Stores a number by ids (interning them). The caller checks that the campaign and
     * source exist in its configuration.
     */
    public PutResult put(String e164, String campaign, String source) {
        long number = parseE164(e164);
        return put(number, symbols.intern(SymbolTable.Kind.CAMPAIGN, campaign),
                symbols.intern(SymbolTable.Kind.SOURCE, source), false);
    }

    /** Removes a number; whether it was tracked. */
    public boolean remove(long e164) {
        LongCell key = cells.get()[0];
        key.value = e164;
        return map.remove(key) != null;
    }

    /** Removes a number given in E.164; whether it was tracked. */
    public boolean remove(String e164) {
        return remove(parseE164(e164));
    }

    /** The number's entry with ids resolved, if tracked. */
    public Optional<TrackedNumber> find(String e164) {
        long number = parseE164(e164);
        long packed = lookup(number);
        if (packed == NOT_FOUND) {
            return Optional.empty();
        }
        return Optional.of(new TrackedNumber(PhoneNumbers.format(number),
                symbols.name(SymbolTable.Kind.CAMPAIGN, campaignCode(packed)),
                symbols.name(SymbolTable.Kind.SOURCE, sourceCode(packed)), fromYaml(packed)));
    }

    /** How many numbers are tracked. */
    public long size() {
        return map.longSize();
    }

    /** How full the store is. */
    public StoreCapacity capacity() {
        return capacity;
    }

    /** Tracked numbers per source code (one pass over the store). */
    public Map<Integer, Integer> countBySource() {
        Map<Integer, Integer> counts = new HashMap<>();
        LongCell value = new LongCell();
        map.forEachEntry(entry -> counts.merge(sourceCode(entry.value().getUsing(value).value), 1, Integer::sum));
        return counts;
    }

    /** Calls {@code action} with every number whose entry came from the YAML. */
    public void forEachFromYaml(LongConsumer action) {
        LongCell key = new LongCell();
        LongCell value = new LongCell();
        map.forEachEntry(entry -> {
            if (fromYaml(entry.value().getUsing(value).value)) {
                action.accept(entry.key().getUsing(key).value);
            }
        });
    }

    /** The symbol table the codes come from. */
    public SymbolTable symbols() {
        return symbols;
    }

    private static long parseE164(String e164) {
        if (e164.length() < 2 || e164.charAt(0) != '+' || e164.length() > 16 || !e164.substring(1).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("expected an E.164 number such as +18005550100, got \"" + e164 + "\"");
        }
        return Long.parseLong(e164.substring(1));
    }

    void close() {
        map.close();
    }
}
