package org.callrouter.routing.store;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * What the router remembers about a caller in a campaign: the handler that answered the
 * caller's last call (repeat callers) and, per conversion side, when the caller last
 * converted and in which call (dedupe and postback idempotency). Times are epoch ms, 0 =
 * never. The class name is part of the persisted file's header: do not rename it.
 */
public final class CallerRecord implements BytesMarshallable {

    /** Sides of a conversion. */
    static final int SOURCE = 0;
    static final int HANDLER = 1;

    int lastHandler = -1;
    long lastAnsweredAtMs;
    final long[] convertedAtMs = new long[2];
    final long[] convertedCallHash = new long[2];

    public CallerRecord() {
    }

    void clear() {
        lastHandler = -1;
        lastAnsweredAtMs = 0;
        convertedAtMs[SOURCE] = 0;
        convertedAtMs[HANDLER] = 0;
        convertedCallHash[SOURCE] = 0;
        convertedCallHash[HANDLER] = 0;
    }

    /** The latest time anything in the record happened. */
    long latestMs() {
        return Math.max(lastAnsweredAtMs, Math.max(convertedAtMs[SOURCE], convertedAtMs[HANDLER]));
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        lastHandler = in.readInt();
        lastAnsweredAtMs = in.readLong();
        convertedAtMs[SOURCE] = in.readLong();
        convertedCallHash[SOURCE] = in.readLong();
        convertedAtMs[HANDLER] = in.readLong();
        convertedCallHash[HANDLER] = in.readLong();
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeInt(lastHandler);
        out.writeLong(lastAnsweredAtMs);
        out.writeLong(convertedAtMs[SOURCE]);
        out.writeLong(convertedCallHash[SOURCE]);
        out.writeLong(convertedAtMs[HANDLER]);
        out.writeLong(convertedCallHash[HANDLER]);
    }
}
