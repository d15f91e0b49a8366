package org.callrouter.sip.message;

import java.util.Arrays;
import org.callrouter.sip.syntax.SipLexer;

/**
 * The header fields of one message, in wire order, as byte ranges over the message's bytes:
 * for each field its line (name through CRLF, folds included), its name and its value (trimmed,
 * folds kept in place). One int array, no objects per field: the value is only turned into
 * text when asked for.
 */
public final class HeaderIndex {

    private static final int STRIDE = 6;
    private static final int CODE = 0;
    private static final int LINE_START = 1;
    private static final int NAME_END = 2;
    private static final int VALUE_START = 3;
    private static final int VALUE_END = 4;
    private static final int LINE_END = 5;
    private static final int FOLDED = 1 << 30;
    private static final int ID_MASK = FOLDED - 1;

    private final byte[] array;
    private final int[] entries;
    private final int count;

    private HeaderIndex(byte[] array, int[] entries, int count) {
        this.array = array;
        this.entries = entries;
        this.count = count;
    }

    /** The number of header fields. */
    public int count() {
        return count;
    }

    /** The name of field {@code i}: the cached constant, or a new instance for an unknown name. */
    public HeaderName name(int i) {
        HeaderName known = knownName(i);
        return known != null ? known : HeaderName.of(SipLexer.ascii(array, lineStart(i), nameEnd(i)));
    }

    /** The name of field {@code i} when it is a known one, else null. Allocates nothing. */
    public HeaderName knownName(int i) {
        int id = (entries[i * STRIDE + CODE] & ID_MASK) - 1;
        return id < 0 ? null : HeaderName.byId(id);
    }

    /** Where field {@code i}'s line starts (its name). */
    public int lineStart(int i) {
        return entries[i * STRIDE + LINE_START];
    }

    /** Where field {@code i}'s name ends. */
    public int nameEnd(int i) {
        return entries[i * STRIDE + NAME_END];
    }

    /** Where field {@code i}'s value starts (after the colon and whitespace). */
    public int valueStart(int i) {
        return entries[i * STRIDE + VALUE_START];
    }

    /** Where field {@code i}'s value ends (before trailing whitespace and the CRLF). */
    public int valueEnd(int i) {
        return entries[i * STRIDE + VALUE_END];
    }

    /** Where field {@code i}'s line ends (after its CRLF). */
    public int lineEnd(int i) {
        return entries[i * STRIDE + LINE_END];
    }

    /** Whether field {@code i}'s value spans folded lines. */
    public boolean folded(int i) {
        return (entries[i * STRIDE + CODE] & FOLDED) != 0;
    }

    /**
     * The index of the first field named {@code name} at or after {@code from}, or -1. For a
     * known name this compares ints only.
     */
    public int indexOf(HeaderName name, int from) {
        for (int i = from; i < count; i++) {
            if (is(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether field {@code i} is named {@code name}. */
    public boolean is(int i, HeaderName name) {
        int id = name.id();
        int code = entries[i * STRIDE + CODE] & ID_MASK;
        return id >= 0 ? code == id + 1 : code == 0 && nameEquals(i, name);
    }

    private boolean nameEquals(int i, HeaderName name) {
        String lower = name.name();
        int start = lineStart(i);
        int end = nameEnd(i);
        if (end - start != lower.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            if (Character.toLowerCase((char) (array[start + k] & 0xFF)) != Character.toLowerCase(lower.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Builds a {@link HeaderIndex} one field at a time, in wire order. */
    public static final class Builder {

        private final byte[] array;
        private int[] entries;
        /** Whether {@link #entries} is a caller's scratch array, to be copied by {@link #build()}. */
        private final boolean scratch;
        private int count;

        /**
         * @param array    the message bytes the ranges refer to
         * @param expected how many fields to make room for at first
         */
        public Builder(byte[] array, int expected) {
            this.array = array;
            this.entries = newScratch(expected);
            this.scratch = false;
        }

        /**
         * A builder that writes into {@code scratch}, an array its owner reuses from one message to
         * the next (take it back with {@link #scratch()}: it may have grown); {@link #build()} then
         * copies the fields into an index of their exact size. Why: the parser's index was an array
         * for 16 fields whatever the message had, some 2.5 KB a call on the SIP loop.
         *
         * @param array   the message bytes the ranges refer to
         * @param scratch from {@link #newScratch(int)} or an earlier builder's {@link #scratch()}
         */
        public Builder(byte[] array, int[] scratch) {
            this.array = array;
            this.entries = scratch;
            this.scratch = true;
        }

        /** An array for {@code fields} fields, for {@link #Builder(byte[], int[])}. */
        public static int[] newScratch(int fields) {
            return new int[Math.max(fields, 1) * STRIDE];
        }

        /** The array the fields were written into (the scratch given, or a larger copy of it). */
        public int[] scratch() {
            return entries;
        }

        /**
         * Appends a field.
         *
         * @param known      its name when it is a known one, else null
         * @param lineStart  where its line (its name) starts
         * @param nameEnd    where its name ends
         * @param valueStart where its value starts
         * @param valueEnd   where its value ends
         * @param lineEnd    where its line ends, after the CRLF
         * @param folded     whether the value spans folded lines
         */
        public Builder add(HeaderName known, int lineStart, int nameEnd, int valueStart, int valueEnd,
                int lineEnd, boolean folded) {
            if (!(lineStart < nameEnd && nameEnd <= valueStart && valueStart <= valueEnd && valueEnd <= lineEnd
                    && lineEnd <= array.length)) {
                throw new IllegalArgumentException("inconsistent header ranges");
            }
            int base = count * STRIDE;
            if (base == entries.length) {
                entries = Arrays.copyOf(entries, base * 2);
            }
            entries[base + CODE] = (known == null ? 0 : known.id() + 1) | (folded ? FOLDED : 0);
            entries[base + LINE_START] = lineStart;
            entries[base + NAME_END] = nameEnd;
            entries[base + VALUE_START] = valueStart;
            entries[base + VALUE_END] = valueEnd;
            entries[base + LINE_END] = lineEnd;
            count++;
            return this;
        }

        /** The number of fields added so far. */
        public int count() {
            return count;
        }

        /** The index of the fields added so far. */
        public HeaderIndex build() {
            return new HeaderIndex(array, scratch ? Arrays.copyOf(entries, count * STRIDE) : entries, count);
        }
    }
}
