package org.callrouter.routing.store;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * A quarantined number's persisted state. The class name is part of the persisted file's
 * header: do not rename it.
 */
public final class QuarantineRecord implements BytesMarshallable {

    int campaignCode;
    long removedAtMs;
    long lastCallMs;
    long calls;

    public QuarantineRecord() {
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        campaignCode = in.readInt();
        removedAtMs = in.readLong();
        lastCallMs = in.readLong();
        calls = in.readLong();
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeInt(campaignCode);
        out.writeLong(removedAtMs);
        out.writeLong(lastCallMs);
        out.writeLong(calls);
    }
}
