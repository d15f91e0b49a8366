package org.callrouter.sip.header;

import java.util.Objects;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.syntax.SipLexer;

/** A CSeq value (RFC 3261 20.16): a sequence number below 2**31 and a method. */
public final class CSeq {

    /** The largest sequence number RFC 3261 8.1.1.5 allows: 2**31 - 1. */
    public static final long MAX_NUMBER = (1L << 31) - 1;

    private final long number;
    private final SipMethod method;

    /**
     * @throws IllegalArgumentException when {@code number} is outside 0..2**31-1
     */
    public CSeq(long number, SipMethod method) {
        if (number < 0 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("CSeq number " + number + " is outside 0.." + MAX_NUMBER);
        }
        this.number = number;
        this.method = Objects.requireNonNull(method, "method");
    }

    /**
     * Validates the CSeq value in [start, end) ({@code 1*DIGIT LWS Method}, trimmed) and returns
     * where its method starts.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static int scan(byte[] a, int start, int end) {
        int p = SipLexer.digits(a, start, end);
        if (SipLexer.parseDigits(a, start, p, MAX_NUMBER) < 0) {
            throw SipLexer.error("Malformed CSeq number");
        }
        int m = SipLexer.skipWs(a, p, end);
        if (m == p || SipLexer.token(a, m, end) != end || m == end) {
            throw SipLexer.error("Malformed CSeq");
        }
        return m;
    }

    /**
     * Parses the CSeq value in [start, end).
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static CSeq parse(byte[] a, int start, int end) {
        int m = scan(a, start, end);
        long number = SipLexer.parseDigits(a, start, SipLexer.digits(a, start, end), MAX_NUMBER);
        return new CSeq(number, SipMethod.of(a, m, end));
    }

    /** The sequence number. */
    public long number() {
        return number;
    }

    /** The method. */
    public SipMethod method() {
        return method;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CSeq && ((CSeq) o).number == number && ((CSeq) o).method.equals(method);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number) * 31 + method.hashCode();
    }

    /** The value in SIP syntax, e.g. "1 INVITE". */
    @Override
    public String toString() {
        return number + " " + method.name();
    }
}
