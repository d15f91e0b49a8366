package org.callrouter.server;

/**
 * One shared instance for strings that repeat from call to call: campaign, source and handler
 * ids, tag names, most tag values, skip reasons in the records; a peer's Contact URI in the
 * dialogs (a handler, or a carrier's gateway, answers with the same one call after call). Whoever
 * decodes such a string anew for each call would otherwise keep a copy per live call. A
 * direct-mapped table: a string that misses takes the slot, so values that never repeat only
 * cost a slot. One thread per instance (the records emitter, a SIP worker's B2BUA).
 */
public final class RepeatedStrings {

    private static final int SLOTS = 1024;

    private final String[] slots = new String[SLOTS];

    /** The instance seen before equal to {@code value}, else {@code value} (then remembered). */
    public String canonical(String value) {
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
