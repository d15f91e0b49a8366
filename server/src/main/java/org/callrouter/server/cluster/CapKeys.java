package org.callrouter.server.cluster;

import org.callrouter.routing.caps.CapWindow;

/**
 * The Redis keys of one handler's caps (server README, "Cluster: shared state in Redis"). Every
 * key carries the handler id as its hash tag ({@code {id}}), so one script's keys are in one
 * slot of a Redis Cluster too.
 */
final class CapKeys {

    private static final CapWindow[] WINDOWS = CapWindow.values();

    private CapKeys() {
    }

    private static String prefix(String handlerId) {
        return "cr:{" + handlerId + "}:";
    }

    /** The live slots: a sorted set of slot ids scored by lease expiry (Redis time, ms). */
    static String live(String handlerId) {
        return prefix(handlerId) + "live";
    }

    /** The committed counts of the windows {@code ids}, by window ordinal ({@code cr:{h}:n:hourly:<id>}). */
    static String[] counts(String handlerId, long[] ids) {
        return windowKeys(handlerId, "n:", ids);
    }

    /** The pending holds of the windows {@code ids}: sorted sets of slot ids scored by lease expiry. */
    static String[] holds(String handlerId, long[] ids) {
        return windowKeys(handlerId, "p:", ids);
    }

    private static String[] windowKeys(String handlerId, String kind, long[] ids) {
        String prefix = prefix(handlerId) + kind;
        String[] keys = new String[WINDOWS.length];
        for (CapWindow w : WINDOWS) {
            keys[w.ordinal()] = prefix + w.capName() + ":" + ids[w.ordinal()];
        }
        return keys;
    }
}
