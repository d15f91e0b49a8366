package org.callrouter.sip.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;

/**
 * The output of the encoders: an ordered list of byte ranges, some viewing a parsed message's
 * bytes (the fields passed through byte for byte), some holding new text. Written to a
 * {@link ByteBuf} or joined into one array, without an intermediate copy.
 *
 * <p>New text (names, values, numbers) is written into one buffer of this object's, so a run of
 * new header fields is one range, not four ranges and an array per field: building a message
 * allocates its few ranges and the text, and little else. The buffer only ever grows by copying
 * into a larger one, and earlier ranges keep viewing the old array, whose bytes never change.
 */
final class Segments {

    static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};
    private static final int INITIAL_RANGES = 8;
    /** The text buffer's first size when none is given: an editor's few new fields, a small value. */
    private static final int SMALL_TEXT = 64;
    /** The text buffer's first size for a builder's fields: most of a new request's header. */
    static final int HEADER_TEXT = 256;
    /** Ranges shorter than this are copied into the text buffer rather than viewed. */
    private static final int COPY_BELOW = 32;

    /** Each thread's output for {@link Encodable}, lent for one encoding at a time. */
    private static final ThreadLocal<Segments> OUTPUT = ThreadLocal.withInitial(Segments::new);

    private byte[][] arrays = new byte[INITIAL_RANGES][];
    private int[] bounds = new int[INITIAL_RANGES * 2];
    private int count;
    private int length;
    /** Where new text is written: [0, textLength) is taken. Null until the first text. */
    private byte[] text;
    private int textLength;
    private final int firstTextSize;
    /** Whether this is a thread's output, lent out now. */
    private boolean lent;

    /** Output whose new text starts in a small buffer. */
    Segments() {
        this(SMALL_TEXT);
    }

    /** Output whose new text starts in a buffer of {@code firstTextSize} bytes, taken at the first text. */
    Segments(int firstTextSize) {
        this.firstTextSize = firstTextSize;
    }

    /**
     * This thread's output, empty, for one encoding: its range arrays and text buffer are reused
     * from the last one, so that encoding a message allocates only what it returns (the SIP
     * threads encode a dozen messages a call, and the new arrays of each were some 3 KB a call).
     * Give it back with {@link #giveBack()} once written out; an encoding within an encoding
     * gets a new object.
     */
    static Segments borrow() {
        final Segments output = OUTPUT.get();
        if (output.lent) {
            return new Segments();
        }
        output.lent = true;
        return output;
    }

    /**
     * Ends the loan of {@link #borrow()}: forgets the ranges (and with them the arrays they
     * viewed) and keeps the buffers. A no-op on an object that was not lent.
     */
    void giveBack() {
        if (!lent) {
            return;
        }
        Arrays.fill(arrays, 0, count, null);
        count = 0;
        length = 0;
        textLength = 0;
        lent = false;
    }

    /**
     * Appends [start, end) of {@code a}: a range of up to {@value #COPY_BELOW} bytes is copied into
     * the text buffer (constants like {@code ": "} and CRLF, short values), so it joins the text
     * around it; a longer one is not copied, and {@code a} must not change before encoding. A range
     * that continues the previous one extends it, so runs of untouched fields cost one copy.
     */
    Segments add(byte[] a, int start, int end) {
        if (end <= start) {
            return this;
        }
        if (count > 0 && arrays[count - 1] == a && bounds[count * 2 - 1] == start) {
            bounds[count * 2 - 1] = end;
            length += end - start;
            if (a == text) {
                textLength = end;
            }
            return this;
        }
        if (end - start < COPY_BELOW && a != text) {
            final int at = reserve(end - start);
            System.arraycopy(a, start, text, at, end - start);
            return appendText(at, at + end - start);
        }
        if (count == arrays.length) {
            arrays = Arrays.copyOf(arrays, count * 2);
            bounds = Arrays.copyOf(bounds, count * 4);
        }
        arrays[count] = a;
        bounds[count * 2] = start;
        bounds[count * 2 + 1] = end;
        count++;
        length += end - start;
        if (a == text) {
            textLength = end;
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

    /** Appends all of {@code a} (a constant or an array nobody changes: it is not copied). */
    Segments add(byte[] a) {
        return add(a, 0, a.length);
    }

    /** Appends text as UTF-8, copied into this object's text buffer. */
    Segments add(CharSequence chars) {
        final int n = chars.length();
        final int at = reserve(n);
        for (int i = 0; i < n; i++) {
            final char c = chars.charAt(i);
            if (c >= 0x80) {
                // Rare (display names, reason phrases): the general encoder, from this character on.
                final byte[] rest = chars.subSequence(i, n).toString().getBytes(StandardCharsets.UTF_8);
                textLength = at + i;
                final int restAt = reserve(rest.length);
                System.arraycopy(rest, 0, text, restAt, rest.length);
                return appendText(at, restAt + rest.length);
            }
            text[at + i] = (byte) c;
        }
        return appendText(at, at + n);
    }

    /** Appends a decimal number. */
    Segments add(long number) {
        if (number < 0 || number > 999_999_999_999_999_999L) {
            return add(Long.toString(number));
        }
        int digits = 1;
        for (long rest = number / 10; rest > 0; rest /= 10) {
            digits++;
        }
        final int at = reserve(digits);
        long rest = number;
        for (int i = at + digits - 1; i >= at; i--) {
            text[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return appendText(at, at + digits);
    }

    /** Appends a header line {@code Name: value CRLF}. */
    Segments header(HeaderName name, CharSequence value) {
        return add(name.name()).add(COLON_SPACE).add(checkValue(value)).add(CRLF);
    }

    /**
     * Makes room for {@code n} more bytes of text and returns where they go. The old buffer stays
     * as it is (earlier ranges view it), so growing copies into a new one.
     */
    private int reserve(int n) {
        if (text == null) {
            text = new byte[Math.max(firstTextSize, n)];
        } else if (textLength + n > text.length) {
            final byte[] larger = new byte[Math.max(text.length * 2, textLength + n)];
            // Only the bytes after the last range into the old buffer matter; copying from 0
            // keeps this simple and costs what the doubling costs anyway.
            System.arraycopy(text, 0, larger, 0, textLength);
            text = larger;
        }
        return textLength;
    }

    /** [from, to) of the text buffer was written: one more range, or the last one extended. */
    private Segments appendText(int from, int to) {
        textLength = to;
        return add(text, from, to);
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
