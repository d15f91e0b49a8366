package org.callrouter.server.records;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Strings in ring-buffer messages: a 4-byte length (-1 for null) then UTF-8 bytes, encoded one
 * char at a time so the publishing thread allocates nothing. Strings longer than
 * {@link #MAX_CHARS} are cut there (a header value is never that long in a sane call); an
 * unpaired surrogate becomes {@code ?}.
 */
final class EventStrings {

    /** Longest string carried, in UTF-16 chars. */
    static final int MAX_CHARS = 1024;
    private static final int NULL_LENGTH = -1;

    private EventStrings() {
    }

    /** Bytes {@link #put} writes for {@code value}, the length prefix included. */
    static int length(String value) {
        return length(value, MAX_CHARS);
    }

    /** Bytes {@link #put(MutableDirectBuffer, int, String, int)} writes for {@code value}. */
    static int length(String value, int maxChars) {
        if (value == null) {
            return Integer.BYTES;
        }
        final int chars = Math.min(value.length(), maxChars);
        int bytes = Integer.BYTES;
        for (int i = 0; i < chars; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Writes {@code value} (cut at {@link #MAX_CHARS}) at {@code index}; returns the index after it. */
    static int put(MutableDirectBuffer buffer, int index, String value) {
        return put(buffer, index, value, MAX_CHARS);
    }

    /** Writes {@code value}, cut at {@code maxChars}, at {@code index}; returns the index after it. */
    static int put(MutableDirectBuffer buffer, int index, String value, int maxChars) {
        if (value == null) {
            buffer.putInt(index, NULL_LENGTH);
            return index + Integer.BYTES;
        }
        final int chars = Math.min(value.length(), maxChars);
        int at = index + Integer.BYTES;
        for (int i = 0; i < chars; i++) {
            final char c = value.charAt(i);
            if (c < 0x80) {
                buffer.putByte(at++, (byte) c);
            } else if (c < 0x800) {
                buffer.putByte(at++, (byte) (0xC0 | c >> 6));
                buffer.putByte(at++, (byte) (0x80 | c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(value.charAt(i + 1))) {
                final int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer.putByte(at++, (byte) (0xF0 | cp >> 18));
                buffer.putByte(at++, (byte) (0x80 | cp >> 12 & 0x3F));
                buffer.putByte(at++, (byte) (0x80 | cp >> 6 & 0x3F));
                buffer.putByte(at++, (byte) (0x80 | cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buffer.putByte(at++, (byte) '?');
            } else {
                buffer.putByte(at++, (byte) (0xE0 | c >> 12));
                buffer.putByte(at++, (byte) (0x80 | c >> 6 & 0x3F));
                buffer.putByte(at++, (byte) (0x80 | c & 0x3F));
            }
        }
        buffer.putInt(index, at - index - Integer.BYTES);
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
}
