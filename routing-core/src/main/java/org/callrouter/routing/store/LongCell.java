package org.callrouter.routing.store;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * A mutable {@code long} used as a Chronicle Map key or value: one instance per thread
 * is reused for every lookup, so lookups allocate nothing (a boxed {@code Long} would).
 * The class name is part of the persisted files' headers: do not rename it.
 */
public final class LongCell implements BytesMarshallable {

    long value;

    public LongCell() {
    }

    LongCell(long value) {
        this.value = value;
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        value = in.readLong();
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        out.writeLong(value);
    }
}
