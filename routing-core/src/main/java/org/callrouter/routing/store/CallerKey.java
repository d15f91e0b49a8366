package org.callrouter.routing.store;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * Key of the caller index: a caller (E.164 digits) in a campaign (symbol code). Reused per
 * thread. The class name is part of the persisted file's header: do not rename it.
 */
public final class CallerKey implements BytesMarshallable {

    long caller;
    int campaign;

    public CallerKey() {
    }

    CallerKey set(long caller, int campaign) {
        this.caller = caller;
        this.campaign = campaign;
        return this;
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        caller = in.readLong();
        campaign = in.readInt();
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeLong(caller);
        out.writeInt(campaign);
    }
}
