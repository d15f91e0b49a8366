package org.callrouter.sip.header;

import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.syntax.SipChars;
import org.callrouter.sip.syntax.SipLexer;

/**
 * A {@code RAck} value (RFC 3262 7.2): which reliable provisional response a PRACK acknowledges,
 * by its {@code RSeq} and the CSeq number and method of the request it answered.
 *
 * <pre>
 * RAck         =  "RAck" HCOLON response-num LWS CSeq-num LWS Method
 * response-num =  1*DIGIT
 * CSeq-num     =  1*DIGIT
 * RSeq         =  "RSeq" HCOLON response-num      (7.1; 1 to 2**32-1)
 * </pre>
 *
 * @param rseq   the RSeq of the acknowledged response
 * @param cseq   the CSeq number of the request it answered
 * @param method the method of that request (INVITE)
 */
public record RAck(long rseq, long cseq, SipMethod method) {

    /** The largest RSeq and CSeq number (RFC 3262 7.1, RFC 3261 8.1.1.5: below 2**32). */
    public static final long MAX_NUMBER = 4_294_967_295L;

    /**
     * Parses a {@code RAck} value.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static RAck parse(String value) {
        final String[] parts = value.trim().split("[ \t]+");
        if (parts.length != 3 || !SipChars.isToken(parts[2])) {
            throw SipLexer.error("Malformed RAck");
        }
        return new RAck(number(parts[0], "RAck"), number(parts[1], "RAck"), SipMethod.of(parts[2]));
    }

    /**
     * Parses a {@code RSeq} value (RFC 3262 7.1).
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed or 0
     */
    public static long parseRSeq(String value) {
        final long n = number(value.trim(), "RSeq");
        if (n == 0) {
            throw SipLexer.error("Malformed RSeq");
        }
        return n;
    }

    private static long number(String digits, String header) {
        if (digits.isEmpty() || digits.length() > 10) {
            throw SipLexer.error("Malformed " + header);
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            final char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw SipLexer.error("Malformed " + header);
            }
            n = n * 10 + (c - '0');
        }
        if (n > MAX_NUMBER) {
            throw SipLexer.error("Malformed " + header);
        }
        return n;
    }

    /** The header value: {@code rseq cseq METHOD}. */
    @Override
    public String toString() {
        return rseq + " " + cseq + " " + method.name();
    }
}
