package org.callrouter.server.records;

/**
 * One shared instance for strings that repeat from call to call: campaign, source and handler
 * ids, tag names, most tag values, skip reasons. The emitter decodes each event's strings anew;
 * without this every live record would hold its own copies (a dozen per call). A direct-mapped
 * table: a string that misses takes the slot, so values that never repeat (caller numbers,
 * call ids; not passed here anyway) only cost a slot. Used by the emitter thread only.
 */
final class RepeatedStrings {

    private static final int SLOTS = 1024;

    private final String[] slots = new String[SLOTS];

    /** The instance seen before equal to {@code value}, else {@code value} (then remembered). */
    String canonical(String value) {
        if (value == null) {
            return null;
        }
        final int slot = value.hashCode() & (SLOTS - 1);
        final String known = slots[slot];
        if (value.equals(known)) {
            return known;
        }
        slots[slot] = value;
        return value;
    }
}
