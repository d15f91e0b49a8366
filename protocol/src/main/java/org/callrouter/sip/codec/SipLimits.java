package org.callrouter.sip.codec;

/**
 * Size limits the parser enforces, in one small object with checked setters (the style of
 * Netty's {@code HttpDecoderConfig}). Decoders copy it when constructed, so changing it later
 * does not affect them.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th><th>range</th><th>over the limit</th></tr>
 *   <tr><td>maxMessageBytes</td><td>65536</td><td>512..16777216</td>
 *       <td>513 Message Too Large (RFC 3261 21.5.11)</td></tr>
 *   <tr><td>maxStartLineBytes</td><td>8192</td><td>64..maxMessageBytes</td>
 *       <td>414 Request-URI Too Long (a request), 400 (a response)</td></tr>
 *   <tr><td>maxHeaderFieldBytes</td><td>8192</td><td>64..maxMessageBytes</td>
 *       <td>400 Header Field Too Long (one field, folds included)</td></tr>
 *   <tr><td>maxHeaderCount</td><td>256</td><td>8..4096</td><td>400 Too Many Header Fields</td></tr>
 * </table>
 */
public final class SipLimits {

    /** Default {@link #maxMessageBytes()}: 64 KiB, the largest UDP payload. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65536;
    /** Default {@link #maxStartLineBytes()}. */
    public static final int DEFAULT_MAX_START_LINE_BYTES = 8192;
    /** Default {@link #maxHeaderFieldBytes()}. */
    public static final int DEFAULT_MAX_HEADER_FIELD_BYTES = 8192;
    /** Default {@link #maxHeaderCount()}. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 256;

    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int maxStartLineBytes = DEFAULT_MAX_START_LINE_BYTES;
    private int maxHeaderFieldBytes = DEFAULT_MAX_HEADER_FIELD_BYTES;
    private int maxHeaderCount = DEFAULT_MAX_HEADER_COUNT;

    /** The defaults. */
    public SipLimits() {
    }

    /** A copy of {@code other}. */
    public SipLimits(SipLimits other) {
        maxMessageBytes = other.maxMessageBytes;
        maxStartLineBytes = other.maxStartLineBytes;
        maxHeaderFieldBytes = other.maxHeaderFieldBytes;
        maxHeaderCount = other.maxHeaderCount;
    }

    /** The largest message, start line to end of body, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** The longest start line in bytes, CRLF included. */
    public int maxStartLineBytes() {
        return maxStartLineBytes;
    }

    /** The longest header field in bytes (name to CRLF, folds included). */
    public int maxHeaderFieldBytes() {
        return maxHeaderFieldBytes;
    }

    /** The most header fields one message may have. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /**
     * @throws IllegalArgumentException outside 512..16777216, or below the line limits
     */
    public SipLimits maxMessageBytes(int bytes) {
        check("maxMessageBytes", bytes, 512, 16 << 20);
        if (bytes < maxStartLineBytes || bytes < maxHeaderFieldBytes) {
            throw new IllegalArgumentException("maxMessageBytes=" + bytes + " must be >= maxStartLineBytes="
                    + maxStartLineBytes + " and maxHeaderFieldBytes=" + maxHeaderFieldBytes);
        }
        maxMessageBytes = bytes;
        return this;
    }

    /**
     * @throws IllegalArgumentException outside 64..maxMessageBytes
     */
    public SipLimits maxStartLineBytes(int bytes) {
        check("maxStartLineBytes", bytes, 64, maxMessageBytes);
        maxStartLineBytes = bytes;
        return this;
    }

    /**
     * @throws IllegalArgumentException outside 64..maxMessageBytes
     */
    public SipLimits maxHeaderFieldBytes(int bytes) {
        check("maxHeaderFieldBytes", bytes, 64, maxMessageBytes);
        maxHeaderFieldBytes = bytes;
        return this;
    }

    /**
     * @throws IllegalArgumentException outside 8..4096
     */
    public SipLimits maxHeaderCount(int count) {
        check("maxHeaderCount", count, 8, 4096);
        maxHeaderCount = count;
        return this;
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + "=" + value + " must be in " + min + ".." + max);
        }
    }

    @Override
    public String toString() {
        return "SipLimits{maxMessageBytes=" + maxMessageBytes + ", maxStartLineBytes=" + maxStartLineBytes
                + ", maxHeaderFieldBytes=" + maxHeaderFieldBytes + ", maxHeaderCount=" + maxHeaderCount + '}';
    }
}
