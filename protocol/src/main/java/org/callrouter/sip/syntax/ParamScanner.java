package org.callrouter.sip.syntax;

import static org.callrouter.sip.syntax.SipLexer.error;

/**
 * Walks header field parameters: {@code *( SEMI generic-param )} with
 * {@code generic-param = token [ EQUAL gen-value ]} and
 * {@code gen-value = token / host / quoted-string} (RFC 3261 25.1). After each {@link #next} the
 * fields hold the ranges of the parameter just read.
 */
public final class ParamScanner {

    /** Range of the parameter name. */
    public int nameStart;
    /** End of the parameter name. */
    public int nameEnd;
    /** Range of the value as written (quotes included), or -1 when the parameter has none. */
    public int valueStart = -1;
    /** End of the value. */
    public int valueEnd = -1;
    /** Whether the value is a plain token (not quoted, no IPv6 characters). */
    private boolean tokenValue;

    /**
     * Reads the parameter that follows {@code p} (after optional whitespace and a semicolon).
     *
     * @return the position after it, or -1 when no semicolon follows
     */
    public int next(byte[] a, int p, int end) {
        int q = SipLexer.skipWs(a, p, end);
        if (q >= end || a[q] != ';') {
            return -1;
        }
        nameStart = SipLexer.skipWs(a, q + 1, end);
        nameEnd = SipLexer.requireToken(a, nameStart, end, "parameter");
        valueStart = -1;
        valueEnd = -1;
        tokenValue = false;
        q = SipLexer.skipWs(a, nameEnd, end);
        if (q >= end || a[q] != '=') {
            return nameEnd;
        }
        valueStart = SipLexer.skipWs(a, q + 1, end);
        if (valueStart < end && a[valueStart] == '"') {
            valueEnd = SipLexer.quotedString(a, valueStart, end);
            return valueEnd;
        }
        valueEnd = SipLexer.token(a, valueStart, end);
        tokenValue = true;
        while (valueEnd < end && (a[valueEnd] == ':' || a[valueEnd] == '[' || a[valueEnd] == ']'
                || SipChars.is(a[valueEnd], SipChars.TOKEN))) {
            tokenValue = false;
            valueEnd++;
        }
        if (valueEnd == valueStart) {
            throw error("Malformed parameter value");
        }
        if (!tokenValue && (a[valueStart] == '[' ? SipLexer.host(a, valueStart, valueEnd) != valueEnd
                : !(nameIs(a, "received") && SipLexer.isIpv6(a, valueStart, valueEnd)))) {
            throw error("Malformed parameter value");
        }
        return valueEnd;
    }

    /** Whether the current parameter's name is {@code lower}, ignoring case. */
    public boolean nameIs(byte[] a, String lower) {
        return SipLexer.equalsIgnoreCase(a, nameStart, nameEnd, lower);
    }

    /** Whether the current parameter has a value. */
    public boolean hasValue() {
        return valueStart >= 0;
    }

    /** Whether the current parameter's value is a quoted-string. */
    public boolean valueQuoted(byte[] a) {
        return valueStart >= 0 && a[valueStart] == '"';
    }

    /** The current value as text: a quoted-string is unquoted; null when there is no value. */
    public String value(byte[] a) {
        if (valueStart < 0) {
            return null;
        }
        return valueQuoted(a) ? SipLexer.unquote(a, valueStart, valueEnd)
                : SipLexer.ascii(a, valueStart, valueEnd);
    }

    /**
     * Throws a 400 naming the {@code part} of {@code what} (e.g. "Via", "branch") unless the
     * current value is a token; the two are joined only for the error, not for every parameter
     * of every message.
     */
    public void requireTokenValue(byte[] a, String what, String part) {
        if (!tokenValue) {
            throw error("Malformed " + what + " " + part);
        }
    }

    /** The current value as a number of at most {@code max}, or a 400 naming {@code what}. */
    public long numberValue(byte[] a, long max, String what) {
        long v = valueStart < 0 ? -1 : SipLexer.parseDigits(a, valueStart, valueEnd, max);
        if (v < 0) {
            throw error("Malformed " + what);
        }
        return v;
    }
}
