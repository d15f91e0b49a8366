package org.callrouter.server.recovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.callrouter.server.transport.Transport;

/**
 * The binary form of a {@link LiveCall} in the live-call store: a version byte, then
 * length-prefixed UTF-8 strings (length -1 for null), ints and longs, in record order.
 * Encoding reuses one buffer, so an instance belongs to one thread (the SIP loop).
 */
final class LiveCallCodec {

    /** Bumped whenever the layout changes; an entry of another version is reported, not guessed at. */
    static final byte VERSION = 1;
    private static final int NULL = -1;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    private int position;

    /** The call's bytes (a new array: the store copies it off-heap). */
    byte[] encode(LiveCall call) {
        position = 0;
        buffer.putByte(position++, VERSION);
        putString(call.id());
        putString(call.key());
        putString(call.campaign());
        putString(call.source());
        putString(call.handler());
        putString(call.caller());
        putString(call.dialed());
        putLong(call.receivedMs());
        putLong(call.answeredMs());
        putInt(call.tags().size());
        for (Map.Entry<String, String> tag : call.tags().entrySet()) {
            putString(tag.getKey());
            putString(tag.getValue());
        }
        putLeg(call.carrier());
        putLeg(call.handlerLeg());
        final byte[] out = new byte[position];
        buffer.getBytes(0, out);
        return out;
    }

    /**
     * Reads a call back.
     *
     * @throws IllegalArgumentException when the bytes are not an entry of this version.
     */
    static LiveCall decode(byte[] bytes) {
        final Reader in = new Reader(new UnsafeBuffer(bytes));
        try {
            final byte version = in.buffer.getByte(in.position++);
            if (version != VERSION) {
                throw new IllegalArgumentException("live-call entry of version " + version + ", expected " + VERSION);
            }
            final String id = in.string();
            final String key = in.string();
            final String campaign = in.string();
            final String source = in.string();
            final String handler = in.string();
            final String caller = in.string();
            final String dialed = in.string();
            final long receivedMs = in.longValue();
            final long answeredMs = in.longValue();
            final int tagCount = in.intValue();
            final Map<String, String> tags = new HashMap<>();
            for (int i = 0; i < tagCount; i++) {
                tags.put(in.string(), in.string());
            }
            return new LiveCall(id, key, campaign, source, handler, caller, dialed, tags, receivedMs, answeredMs,
                    in.leg(), in.leg());
        } catch (IndexOutOfBoundsException | NullPointerException e) {
            throw new IllegalArgumentException("live-call entry cut short or corrupt (" + bytes.length + " bytes)", e);
        }
    }

    private void putLeg(LiveLeg leg) {
        putString(leg.callId());
        putString(leg.localHeader());
        putString(leg.remoteHeader());
        putString(leg.remoteTarget());
        putInt(leg.routeSet().size());
        for (String route : leg.routeSet()) {
            putString(route);
        }
        putString(leg.transport().name());
        putString(leg.host());
        putInt(leg.port());
        putLong(leg.localCseq());
    }

    private void putString(String value) {
        if (value == null) {
            putInt(NULL);
        } else if (isAscii(value)) {
            // Nearly every value (ids, numbers, headers, URIs): written char by char, where the
            // UTF-8 path would allocate an array per string. ASCII is UTF-8, so one reader serves.
            putInt(value.length());
            position += buffer.putStringWithoutLengthAscii(position, value);
        } else {
            position += buffer.putStringUtf8(position, value);
        }
    }

    private static boolean isAscii(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private void putInt(int value) {
        buffer.putInt(position, value);
        position += Integer.BYTES;
    }

    private void putLong(long value) {
        buffer.putLong(position, value);
        position += Long.BYTES;
    }

    /** A read cursor over one entry. */
    private static final class Reader {
        private final UnsafeBuffer buffer;
        private int position;

        Reader(UnsafeBuffer buffer) {
            this.buffer = buffer;
        }

        String string() {
            final int length = intValue();
            if (length == NULL) {
                return null;
            }
            if (length < 0 || position + length > buffer.capacity()) {
                throw new IllegalArgumentException("a string of " + length + " bytes at " + position
                        + " does not fit in the entry");
            }
            final String value = buffer.getStringWithoutLengthUtf8(position, length);
            position += length;
            return value;
        }

        int intValue() {
            final int value = buffer.getInt(position);
            position += Integer.BYTES;
            return value;
        }

        long longValue() {
            final long value = buffer.getLong(position);
            position += Long.BYTES;
            return value;
        }

        LiveLeg leg() {
            final String callId = string();
            final String local = string();
            final String remote = string();
            final String target = string();
            final int routes = intValue();
            if (routes < 0 || routes > 64) {
                throw new IllegalArgumentException("a route set of " + routes + " entries");
            }
            final List<String> routeSet = new ArrayList<>(routes);
            for (int i = 0; i < routes; i++) {
                routeSet.add(string());
            }
            final Transport transport = Transport.valueOf(string());
            return new LiveLeg(callId, local, remote, target, routeSet, transport, string(), intValue(), longValue());
        }
    }
}
