package org.callrouter.sip.syntax;

import static org.callrouter.sip.syntax.SipLexer.error;

/**
 * Validates a media-type (Content-Type, RFC 3261 20.15) or media-range (Accept, RFC 3261 20.1):
 * {@code m-type SLASH m-subtype *(SEMI m-parameter)} with
 * {@code m-parameter = m-attribute EQUAL m-value} and {@code m-value = token / quoted-string}.
 * The wildcards of a media-range ("*") are tokens, so both share this grammar.
 */
public final class MediaTypeScanner {

    /** Range of the type. */
    public int typeStart;
    /** End of the type. */
    public int typeEnd;
    /** Range of the subtype. */
    public int subtypeStart;
    /** End of the subtype. */
    public int subtypeEnd;
    private final ParamScanner param = new ParamScanner();

    /**
     * Scans the media type at {@code p}.
     *
     * @param list whether it is one element of a comma-separated list (Accept)
     * @param what the header name, for error reasons
     * @return the position after it: {@code end}, or the comma that ends it in a list
     */
    public int scan(byte[] a, int p, int end, boolean list, String what) {
        typeStart = SipLexer.skipWs(a, p, end);
        typeEnd = SipLexer.requireToken(a, typeStart, end, what);
        subtypeStart = SipLexer.skipWs(a, SipLexer.expect(a, typeEnd, end, '/', what), end);
        subtypeEnd = SipLexer.requireToken(a, subtypeStart, end, what);
        p = subtypeEnd;
        while (true) {
            int q = param.next(a, p, end);
            if (q < 0) {
                break;
            }
            if (!param.hasValue() || a[param.valueStart] == '[') {
                throw error("Malformed " + what + " parameter");
            }
            p = q;
        }
        p = SipLexer.skipWs(a, p, end);
        if (p < end && !(list && a[p] == ',')) {
            throw error("Malformed " + what);
        }
        return p;
    }

    /** Whether type/subtype equal {@code lower} (e.g. "application/sdp"), ignoring case. */
    public boolean is(byte[] a, String lower) {
        int slash = lower.indexOf('/');
        return SipLexer.equalsIgnoreCase(a, typeStart, typeEnd, lower.substring(0, slash))
                && SipLexer.equalsIgnoreCase(a, subtypeStart, subtypeEnd, lower.substring(slash + 1));
    }
}
