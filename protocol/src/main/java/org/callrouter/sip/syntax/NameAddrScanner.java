package org.callrouter.sip.syntax;

import static org.callrouter.sip.syntax.SipLexer.error;

import org.callrouter.sip.codec.SipParseException;

/**
 * Validates one {@code (name-addr / addr-spec) *(SEMI param)} value, as in From, To, Contact,
 * Route and Record-Route (RFC 3261 20.10, 20.20, 20.34, 20.39, 25.1), and records where its
 * parts are.
 *
 * <p>In the addr-spec form (no angle brackets) the URI ends at the first semicolon, comma or
 * whitespace, and may not contain a question mark: RFC 3261 20.10 requires the name-addr form
 * for a URI with a comma, question mark or semicolon.
 */
public final class NameAddrScanner {

    /** Flag: the value is one element of a comma-separated list; scanning stops at the comma. */
    public static final int LIST = 1;
    /** Flag: only the name-addr form is allowed (Route, Record-Route). */
    public static final int NAME_ADDR_ONLY = 1 << 1;
    /** Flag: check the contact-params q and expires (RFC 3261 20.10). */
    public static final int CONTACT = 1 << 2;

    /** Display name range (quotes included when quoted), or -1 when there is none. */
    public int displayStart;
    /** End of the display name. */
    public int displayEnd;
    /** Range of the URI, without angle brackets. */
    public int uriStart;
    /** End of the URI. */
    public int uriEnd;
    /** Where the header parameters start (just after the URI or its closing bracket). */
    public int paramsStart;
    /** Where the header parameters end. */
    public int paramsEnd;
    /** Range of the tag parameter's value, or -1. */
    public int tagStart;
    /** End of the tag value. */
    public int tagEnd;
    /** The URI's parts. */
    public final UriScanner uri = new UriScanner();
    private final ParamScanner param = new ParamScanner();

    /**
     * Scans the element at {@code p}.
     *
     * @param what the header name for error reasons, e.g. "From"
     * @return the position after the element: {@code end}, or the comma that ends it in a list
     */
    public int scan(byte[] a, int p, int end, int flags, String what) {
        displayStart = displayEnd = tagStart = tagEnd = -1;
        p = SipLexer.skipWs(a, p, end);
        if (p >= end) {
            throw error("Empty " + what);
        }
        if (a[p] == '"') {
            displayStart = p;
            displayEnd = SipLexer.quotedString(a, p, end);
            p = SipLexer.skipWs(a, displayEnd, end);
            if (p >= end || a[p] != '<') {
                throw error("Malformed " + what);
            }
        } else if (a[p] != '<') {
            int q = p;
            int lastToken = -1;
            while (true) {
                int t = SipLexer.token(a, q, end);
                if (t == q) {
                    break;
                }
                lastToken = t;
                q = SipLexer.skipWs(a, t, end);
            }
            if (lastToken >= 0 && q < end && a[q] == '<') {
                displayStart = p;
                displayEnd = lastToken;
                p = q;
            }
        }
        if (a[p] == '<') {
            uriStart = p + 1;
            uriEnd = SipLexer.indexOf(a, uriStart, end, (byte) '>');
            if (uriEnd < 0) {
                throw error("Malformed " + what + ": no closing angle bracket");
            }
            p = uriEnd + 1;
        } else {
            if ((flags & NAME_ADDR_ONLY) != 0) {
                throw error("Malformed " + what + ": name-addr required");
            }
            uriStart = p;
            while (p < end) {
                byte b = a[p];
                if (b == ';' || b == ',' || b == ' ' || b == '\t' || b == '\r') {
                    break;
                }
                if (b == '?') {
                    throw error("Malformed " + what + ": URI with headers needs angle brackets");
                }
                p++;
            }
            uriEnd = p;
        }
        try {
            uri.scan(a, uriStart, uriEnd);
        } catch (SipParseException e) {
            throw error("Malformed " + what + " URI");
        }
        paramsStart = p;
        while (true) {
            int q = param.next(a, p, end);
            if (q < 0) {
                break;
            }
            checkParam(a, flags, what);
            p = q;
        }
        paramsEnd = p;
        p = SipLexer.skipWs(a, p, end);
        if (p < end && !((flags & LIST) != 0 && a[p] == ',')) {
            throw error("Malformed " + what);
        }
        return p;
    }

    private void checkParam(byte[] a, int flags, String what) {
        if (param.nameIs(a, "tag")) {
            param.requireTokenValue(a, what, "tag");
            tagStart = param.valueStart;
            tagEnd = param.valueEnd;
        } else if ((flags & CONTACT) != 0) {
            if (param.nameIs(a, "q")) {
                if (!isQvalue(a, param.valueStart, param.valueEnd)) {
                    throw error("Malformed " + what + " q");
                }
            } else if (param.nameIs(a, "expires")) {
                // delta-seconds beyond 2**32-1 mean 2**32-1 (RFC 3261 20.19): any length is valid
                if (param.valueStart < 0
                        || SipLexer.digits(a, param.valueStart, param.valueEnd) != param.valueEnd) {
                    throw error("Malformed " + what + " expires");
                }
            }
        }
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}. */
    private static boolean isQvalue(byte[] a, int start, int end) {
        if (start < 0 || start >= end || (a[start] != '0' && a[start] != '1')) {
            return false;
        }
        if (end == start + 1) {
            return true;
        }
        if (a[start + 1] != '.' || end - start > 5) {
            return false;
        }
        for (int p = start + 2; p < end; p++) {
            if (a[start] == '1' ? a[p] != '0' : !SipChars.is(a[p], SipChars.DIGIT)) {
                return false;
            }
        }
        return true;
    }
}
