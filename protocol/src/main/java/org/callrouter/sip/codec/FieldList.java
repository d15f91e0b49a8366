package org.callrouter.sip.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.callrouter.sip.message.HeaderIndex;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;

/**
 * The editor's ordered view of a message's header fields: each slot is either a field of the
 * message, untouched and referred to by its index, or a new or rewritten {@link FieldLine}.
 * Untouched fields cost no object, and are written as ranges of the message's bytes.
 */
final class FieldList {

    private final SipMessage message;
    private final HeaderIndex headers;
    private final List<FieldLine> fresh = new ArrayList<>(4);
    /** slot >= 0: field {@code slot} of the message; slot < 0: {@code fresh.get(~slot)}. */
    private int[] slots;
    private int size;

    FieldList(SipMessage message) {
        this.message = message;
        this.headers = message.headers();
        size = headers.count();
        slots = new int[size + 4];
        for (int i = 0; i < size; i++) {
            slots[i] = i;
        }
    }

    int size() {
        return size;
    }

    /** Whether the field in position {@code i} is named {@code name}. */
    boolean is(int i, HeaderName name) {
        int slot = slots[i];
        return slot >= 0 ? headers.is(slot, name) : fresh.get(~slot).is(name);
    }

    /** The position of the first field named {@code name}, or -1. */
    int first(HeaderName name) {
        for (int i = 0; i < size; i++) {
            if (is(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /** The field in position {@code i} as a line (made for an untouched field). */
    FieldLine get(int i) {
        int slot = slots[i];
        return slot >= 0 ? new FieldLine(headers.name(slot), message.array(), headers.lineStart(slot),
                headers.nameEnd(slot), headers.valueStart(slot), headers.valueEnd(slot), headers.lineEnd(slot))
                : fresh.get(~slot);
    }

    void set(int i, FieldLine line) {
        slots[i] = ~fresh.size();
        fresh.add(line);
    }

    void add(int i, FieldLine line) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, size * 2);
        }
        System.arraycopy(slots, i, slots, i + 1, size - i);
        size++;
        set(i, line);
    }

    /** Appends {@code line} after the other fields. */
    void add(FieldLine line) {
        add(size, line);
    }

    void remove(int i) {
        System.arraycopy(slots, i + 1, slots, i, size - i - 1);
        size--;
    }

    void removeAll(HeaderName name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!is(i, name)) {
                slots[kept++] = slots[i];
            }
        }
        size = kept;
    }

    /** Writes the field in position {@code i} as it stands. */
    void writeTo(int i, Segments out) {
        int slot = slots[i];
        if (slot >= 0) {
            out.add(message.array(), headers.lineStart(slot), headers.lineEnd(slot));
        } else {
            fresh.get(~slot).writeTo(out);
        }
    }
}
