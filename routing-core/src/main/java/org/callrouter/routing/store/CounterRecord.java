package org.callrouter.routing.store;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

import org.callrouter.routing.caps.CapWindow;

/**
 * A handler's persisted cap counts: one packed cell per {@link CapWindow} (see
 * {@link org.callrouter.routing.caps.CounterCells}). The class name is part of the
 * persisted file's header: do not rename it.
 */
public final class CounterRecord implements BytesMarshallable {

    static final int CELLS = CapWindow.values().length;

    final long[] cells = new long[CELLS];

    public CounterRecord() {
    }

    @Override
    public void readMarshallable(BytesIn<?> in) {
        for (int i = 0; i < CELLS; i++) {
            cells[i] = in.readLong();
        }
    }

    @Override
    public void writeMarshallable(BytesOut<?> out) {
        for (int i = 0; i < CELLS; i++) {
            out.writeLong(cells[i]);
        }
    }
}
