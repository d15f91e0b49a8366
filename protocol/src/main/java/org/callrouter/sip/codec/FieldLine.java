package org.callrouter.sip.codec;

import java.nio.charset.StandardCharsets;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.syntax.SipLexer;

/** One header field line (name through CRLF) as a range of some bytes, with its value's range. */
final class FieldLine {

    final HeaderName name;
    final byte[] a;
    final int start;
    final int nameEnd;
    final int valueStart;
    final int valueEnd;
    final int end;

    FieldLine(HeaderName name, byte[] a, int start, int nameEnd, int valueStart, int valueEnd, int end) {
        this.name = name;
        this.a = a;
        this.start = start;
        this.nameEnd = nameEnd;
        this.valueStart = valueStart;
        this.valueEnd = valueEnd;
        this.end = end;
    }

    /** A new field {@code Name: value CRLF}. */
    static FieldLine of(HeaderName name, CharSequence value) {
        return of(name, SipLexer.bytes(Segments.checkValue(value)));
    }

    /** A new field {@code Name: value CRLF}; the value bytes are already checked. */
    static FieldLine of(HeaderName name, byte[] value) {
        byte[] n = name.name().getBytes(StandardCharsets.US_ASCII);
        byte[] a = new byte[n.length + 2 + value.length + 2];
        System.arraycopy(n, 0, a, 0, n.length);
        a[n.length] = ':';
        a[n.length + 1] = ' ';
        System.arraycopy(value, 0, a, n.length + 2, value.length);
        a[a.length - 2] = '\r';
        a[a.length - 1] = '\n';
        return new FieldLine(name, a, 0, n.length, n.length + 2, a.length - 2, a.length);
    }

    boolean is(HeaderName other) {
        return name == other || name.equals(other);
    }

    /** This field with its value replaced by [s, e) of {@code v}; name and spacing kept. */
    FieldLine withValue(byte[] v, int s, int e) {
        int prefix = valueStart - start;
        byte[] out = new byte[prefix + e - s + 2];
        System.arraycopy(a, start, out, 0, prefix);
        System.arraycopy(v, s, out, prefix, e - s);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return new FieldLine(name, out, 0, nameEnd - start, prefix, out.length - 2, out.length);
    }

    FieldLine withValue(byte[] v) {
        return withValue(v, 0, v.length);
    }

    void writeTo(Segments out) {
        out.add(a, start, end);
    }
}
