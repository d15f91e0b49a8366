package org.callrouter.sip.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;

/**
 * The output of the encoders: an ordered list of byte ranges, some viewing a parsed message's
 * bytes (the fields passed through byte for byte), some new. Written to a {@link ByteBuf} or
 * joined into one array, without an intermediate copy.
 */
final class Segments {

    static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};

    private byte[][] arrays = new byte[8][];
    private int[] bounds = new int[16];
    private int count;
    private int length;

    /**
     * Appends [start, end) of {@code a} (not copied: it must not change before encoding). A range
     * that continues the previous one extends it, so runs of untouched fields cost one copy.
     */
    Segments add(byte[] a, int start, int end) {
        if (end > start && count > 0 && arrays[count - 1] == a && bounds[count * 2 - 1] == start) {
            bounds[count * 2 - 1] = end;
            length += end - start;
        } else if (end > start) {
            if (count == arrays.length) {
                arrays = Arrays.copyOf(arrays, count * 2);
                bounds = Arrays.copyOf(bounds, count * 4);
            }
            arrays[count] = a;
            bounds[count * 2] = start;
            bounds[count * 2 + 1] = end;
            count++;
            length += end - start;
        }
        return this;
    }

    /** Appends all ranges of {@code other}. */
    Segments add(Segments other) {
        for (int i = 0; i < other.count; i++) {
            add(other.arrays[i], other.bounds[i * 2], other.bounds[i * 2 + 1]);
        }
        return this;
    }

    /** Appends header line {@code i} of {@code message} byte for byte. */
    Segments line(SipMessage message, int i) {
        return add(message.array(), message.headers().lineStart(i), message.headers().lineEnd(i));
    }

    /** Appends all of {@code a}. */
    Segments add(byte[] a) {
        return add(a, 0, a.length);
    }

    /** Appends text as UTF-8. */
    Segments add(CharSequence text) {
        return add(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Appends a decimal number. */
    Segments add(long number) {
        return add(Long.toString(number).getBytes(StandardCharsets.US_ASCII));
    }

    /** Appends a header line {@code Name: value CRLF}. */
    Segments header(HeaderName name, CharSequence value) {
        return add(name.name()).add(COLON_SPACE).add(checkValue(value)).add(CRLF);
    }

    /** The total length in bytes. */
    int length() {
        return length;
    }

    /** Writes all ranges to {@code out}. */
    void writeTo(ByteBuf out) {
        out.ensureWritable(length);
        for (int i = 0; i < count; i++) {
            out.writeBytes(arrays[i], bounds[i * 2], bounds[i * 2 + 1] - bounds[i * 2]);
        }
    }

    /** All ranges joined in one new array. */
    byte[] toBytes() {
        byte[] out = new byte[length];
        int n = 0;
        for (int i = 0; i < count; i++) {
            int len = bounds[i * 2 + 1] - bounds[i * 2];
            System.arraycopy(arrays[i], bounds[i * 2], out, n, len);
            n += len;
        }
        return out;
    }

    /**
     * Checks that a header value cannot break the message: no CR, LF or other control
     * character but HTAB.
     *
     * @throws IllegalArgumentException otherwise
     */
    static CharSequence checkValue(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new IllegalArgumentException("control character in header value: '" + value + "'");
            }
        }
        return value;
    }
}
