package org.callrouter.server.records;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Strings in ring-buffer messages: a 4-byte length (-1 for null) then UTF-8 bytes, written by
 * the publishing thread in one pass into a byte array, without allocating (the usual string,
 * ids, numbers and tags, is ASCII: a byte per char). Strings longer than {@link #MAX_CHARS}
 * are cut there (a header value is never that long in a sane call); an unpaired surrogate
 * becomes {@code ?}.
 */
final class EventStrings {

    /** Longest string carried, in UTF-16 chars. */
    static final int MAX_CHARS = 1024;
    private static final int NULL_LENGTH = -1;
    /** UTF-8 bytes one UTF-16 char can need (a surrogate pair is 4 bytes for 2 chars). */
    private static final int MAX_BYTES_PER_CHAR = 3;

    private EventStrings() {
    }

    /** Writes {@code value} (cut at {@link #MAX_CHARS}) at {@code index}; returns the index after it. */
    static int put(ExpandableArrayBuffer buffer, int index, String value) {
        return put(buffer, index, value, MAX_CHARS);
    }

    /**
     * Writes {@code value}, cut at {@code maxChars}, at {@code index}, growing the buffer when
     * needed; returns the index after it.
     */
    static int put(ExpandableArrayBuffer buffer, int index, String value, int maxChars) {
        if (value == null) {
            buffer.putInt(index, NULL_LENGTH);
            return index + Integer.BYTES;
        }
        final int chars = Math.min(value.length(), maxChars);
        final int start = index + Integer.BYTES;
        buffer.checkLimit(start + chars * MAX_BYTES_PER_CHAR);
        final byte[] bytes = buffer.byteArray();
        final int at;
        if (isAscii(value, chars)) {
            // The usual case. For ASCII the low byte of each char is its UTF-8, and this copy is
            // one block move for a compact (Latin-1) string: far cheaper than a store per char.
            copyAscii(value, chars, bytes, start);
            at = start + chars;
        } else {
            at = encode(value, 0, chars, bytes, start);
        }
        buffer.putInt(index, at - start);
        return at;
    }

    /** Reads the string at {@code index} (consumer side: allocates). */
    static String get(DirectBuffer buffer, int index) {
        final int bytes = buffer.getInt(index);
        if (bytes == NULL_LENGTH) {
            return null;
        }
        final byte[] utf8 = new byte[bytes];
        buffer.getBytes(index + Integer.BYTES, utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The index after the string at {@code index}. */
    static int skip(DirectBuffer buffer, int index) {
        final int bytes = buffer.getInt(index);
        return index + Integer.BYTES + Math.max(0, bytes);
    }

    /** True when the first {@code chars} chars are all ASCII (one pass without a branch per char). */
    private static boolean isAscii(String value, int chars) {
        int any = 0;
        for (int i = 0; i < chars; i++) {
            any |= value.charAt(i);
        }
        return any < 0x80;
    }

    @SuppressWarnings("deprecation") // the low byte of each char: exactly what ASCII needs
    private static void copyAscii(String value, int chars, byte[] out, int at) {
        value.getBytes(0, chars, out, at);
    }

    /** UTF-8 of chars {@code from} to {@code chars} of {@code value} at {@code at}; returns the index after them. */
    private static int encode(String value, int from, int chars, byte[] out, int at) {
        for (int i = from; i < chars; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(value.charAt(i + 1))) {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                out[at++] = (byte) (0xF0 | cp >> 18);
                out[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                out[at++] = (byte) '?';
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return at;
    }
}
