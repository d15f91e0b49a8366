package org.callrouter.sip.codec;

import io.netty.buffer.ByteBuf;

/** A message the codec writes: to a {@link ByteBuf}, or to a new array. */
abstract class Encodable {

    /** The message as byte ranges, ready to write. */
    abstract Segments segments();

    /** Writes the message to {@code out}. */
    public void encode(ByteBuf out) {
        segments().writeTo(out);
    }

    /** The message as a new array. */
    public byte[] toBytes() {
        return segments().toBytes();
    }
}
