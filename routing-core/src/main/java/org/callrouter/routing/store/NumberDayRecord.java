package org.callrouter.routing.store;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * One number's counts on one UTC day. The class name is part of the persisted file's header:
 * do not rename it.
 */
public final class NumberDayRecord implements BytesMarshallable {

    int day;
    int calls;
    int spam;
    int misdirected;

    public NumberDayRecord() {
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        day = in.readInt();
        calls = in.readInt();
        spam = in.readInt();
        misdirected = in.readInt();
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeInt(day);
        out.writeInt(calls);
        out.writeInt(spam);
        out.writeInt(misdirected);
    }
}
