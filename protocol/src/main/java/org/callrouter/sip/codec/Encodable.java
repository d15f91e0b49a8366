package org.callrouter.sip.codec;

import io.netty.buffer.ByteBuf;

/** A message the codec writes: to a {@link ByteBuf}, or to a new array. */
abstract class Encodable {

    /** Appends the message, as byte ranges, to {@code out}. */
    abstract void writeSegments(Segments out);

    /** Writes the message to {@code out}. */
    public void encode(ByteBuf out) {
        final Segments segments = Segments.borrow();
        try {
            writeSegments(segments);
            segments.writeTo(out);
        } finally {
            segments.giveBack();
        }
    }

    /** The message as a new array. */
    public byte[] toBytes() {
        final Segments segments = Segments.borrow();
        try {
            writeSegments(segments);
            return segments.toBytes();
        } finally {
            segments.giveBack();
        }
    }
}
