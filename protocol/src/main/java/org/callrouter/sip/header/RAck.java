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
        // RFC 3262 7.1, RFC 3261 8.1.1.5: RSeq and CSeq numbers are below 2**32.
        return new RAck(SipLexer.unsigned32(parts[0], "RAck"), SipLexer.unsigned32(parts[1], "RAck"),
                SipMethod.of(parts[2]));
    }

    /**
     * Parses a {@code RSeq} value (RFC 3262 7.1).
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed or 0
     */
    public static long parseRSeq(String value) {
        final long n = SipLexer.unsigned32(value.trim(), "RSeq");
        if (n == 0) {
            throw SipLexer.error("Malformed RSeq");
        }
        return n;
    }

    /** The header value: {@code rseq cseq METHOD}. */
    @Override
    public String toString() {
        return rseq + " " + cseq + " " + method.name();
    }
}
