package org.callrouter.routing.store;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * Key of the sessions store: a visitor session's 128-bit id as two longs. The class name is
 * part of the persisted file's header: do not rename it.
 */
public final class SessionKey implements BytesMarshallable {

    long high;
    long low;

    public SessionKey() {
    }

    SessionKey set(long high, long low) {
        this.high = high;
        this.low = low;
        return this;
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        high = in.readLong();
        low = in.readLong();
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeLong(high);
        out.writeLong(low);
    }
}
