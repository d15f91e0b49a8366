package org.callrouter.sip.syntax;

import static org.callrouter.sip.syntax.SipLexer.error;

/**
 * Validates one URI occupying exactly a byte range and records where its parts are:
 * SIP-URI and SIPS-URI (RFC 3261 19.1.1, 25.1), telephone-uri (RFC 3966) and, for any other
 * scheme, absoluteURI (RFC 2396 as referenced by RFC 3261 25.1).
 */
public final class UriScanner {

    /** {@link #kind} of a sip: URI. */
    public static final int SIP = 1;
    /** {@link #kind} of a sips: URI. */
    public static final int SIPS = 2;
    /** {@link #kind} of a tel: URI. */
    public static final int TEL = 3;
    /** {@link #kind} of any other scheme. */
    public static final int OTHER = 4;

    /** One of {@link #SIP}, {@link #SIPS}, {@link #TEL}, {@link #OTHER}. */
    public int kind;
    /** Start of the URI (its scheme). */
    public int start;
    /** End of the URI. */
    public int end;
    /** Position of the colon after the scheme. */
    public int schemeEnd;
    /** User part range (escaped form) of a SIP URI, or -1. For tel: the number. */
    public int userStart;
    /** End of the user part or number. */
    public int userEnd;
    /** Password range of a SIP URI, or -1. */
    public int passwordStart;
    /** End of the password. */
    public int passwordEnd;
    /** Host range of a SIP URI (IPv6 references with their brackets). */
    public int hostStart;
    /** End of the host. */
    public int hostEnd;
    /** Port of a SIP URI, or -1 when absent. */
    public int port;
    /** Start of the parameters (the first semicolon); equals {@link #paramsEnd} when none. */
    public int paramsStart;
    /** End of the parameters. */
    public int paramsEnd;
    /** Start of the headers (after the question mark), or -1. */
    public int headersStart;

    /** Scans [start, end) as one URI, or throws a 400 saying what is wrong. */
    public void scan(byte[] a, int start, int end) {
        this.start = start;
        this.end = end;
        userStart = userEnd = passwordStart = passwordEnd = -1;
        hostStart = hostEnd = port = headersStart = -1;
        if (start >= end || !SipChars.is(a[start], SipChars.ALPHA)) {
            throw error("Malformed URI");
        }
        int p = SipLexer.run(a, start + 1, end, SipChars.SCHEME);
        if (p >= end || a[p] != ':') {
            throw error("Malformed URI");
        }
        schemeEnd = p;
        if (SipLexer.equalsIgnoreCase(a, start, p, "sip")) {
            kind = SIP;
            scanSip(a, p + 1, end);
        } else if (SipLexer.equalsIgnoreCase(a, start, p, "sips")) {
            kind = SIPS;
            scanSip(a, p + 1, end);
        } else if (SipLexer.equalsIgnoreCase(a, start, p, "tel")) {
            kind = TEL;
            scanTel(a, p + 1, end);
        } else {
            kind = OTHER;
            paramsStart = paramsEnd = end;
            int q = SipLexer.escapedRun(a, p + 1, end, SipChars.URIC);
            if (q == p + 1 || q != end) {
                throw error("Malformed URI");
            }
        }
    }

    private void scanSip(byte[] a, int p, int end) {
        int at = SipLexer.indexOf(a, p, end, (byte) '@');
        if (at >= 0) {
            int colon = SipLexer.indexOf(a, p, at, (byte) ':');
            userStart = p;
            userEnd = colon >= 0 ? colon : at;
            if (userEnd == p || SipLexer.escapedRun(a, p, userEnd, SipChars.USER) != userEnd) {
                throw error("Malformed URI user");
            }
            if (colon >= 0) {
                passwordStart = colon + 1;
                passwordEnd = at;
                if (SipLexer.escapedRun(a, passwordStart, at, SipChars.PASSWORD) != at) {
                    throw error("Malformed URI password");
                }
            }
            p = at + 1;
        }
        hostStart = p;
        p = SipLexer.host(a, p, end);
        hostEnd = p;
        if (p < end && a[p] == ':') {
            int q = SipLexer.port(a, p + 1, end);
            port = (int) SipLexer.parseDigits(a, p + 1, q, 65535);
            p = q;
        }
        paramsStart = p;
        while (p < end && a[p] == ';') {
            int q = SipLexer.escapedRun(a, p + 1, end, SipChars.PARAM);
            if (q == p + 1) {
                throw error("Malformed URI parameter");
            }
            if (q < end && a[q] == '=') {
                int v = SipLexer.escapedRun(a, q + 1, end, SipChars.PARAM);
                if (v == q + 1) {
                    throw error("Malformed URI parameter");
                }
                q = v;
            }
            p = q;
        }
        paramsEnd = p;
        if (p < end && a[p] == '?') {
            headersStart = p + 1;
            do {
                int q = SipLexer.escapedRun(a, p + 1, end, SipChars.HNV);
                if (q == p + 1 || q >= end || a[q] != '=') {
                    throw error("Malformed URI header");
                }
                p = SipLexer.escapedRun(a, q + 1, end, SipChars.HNV);
            } while (p < end && a[p] == '&');
        }
        if (p != end) {
            throw error("Malformed SIP URI");
        }
    }

    /**
     * telephone-uri = "tel:" telephone-subscriber (RFC 3966 3): a global number ("+" and digits
     * with visual separators) or a local number (hex digits, "*", "#", separators) that then
     * needs a phone-context parameter; parameters are {@code ;pname[=pvalue]}.
     */
    private void scanTel(byte[] a, int p, int end) {
        userStart = p;
        boolean global = p < end && a[p] == '+';
        int q = global ? p + 1 : p;
        int digits = 0;
        while (q < end) {
            byte b = a[q];
            if (SipChars.is(b, SipChars.DIGIT) || !global && (SipChars.is(b, SipChars.HEX) || b == '*' || b == '#')) {
                digits++;
            } else if (b != '-' && b != '.' && b != '(' && b != ')') {
                break;
            }
            q++;
        }
        if (digits == 0) {
            throw error("Malformed tel URI");
        }
        userEnd = q;
        paramsStart = q;
        boolean context = false;
        while (q < end && a[q] == ';') {
            int nameEnd = q + 1;
            while (nameEnd < end && (SipChars.is(a[nameEnd], SipChars.ALPHA | SipChars.DIGIT) || a[nameEnd] == '-')) {
                nameEnd++;
            }
            if (nameEnd == q + 1) {
                throw error("Malformed tel URI parameter");
            }
            context |= SipLexer.equalsIgnoreCase(a, q + 1, nameEnd, "phone-context");
            q = nameEnd;
            if (q < end && a[q] == '=') {
                int v = SipLexer.escapedRun(a, q + 1, end, SipChars.PARAM);
                if (v == q + 1) {
                    throw error("Malformed tel URI parameter");
                }
                q = v;
            }
        }
        paramsEnd = q;
        if (q != end) {
            throw error("Malformed tel URI");
        }
        if (!global && !context) {
            throw error("Local tel URI without phone-context");
        }
    }

    /** Whether this is a sip: or sips: URI. */
    public boolean isSip() {
        return kind == SIP || kind == SIPS;
    }
}
