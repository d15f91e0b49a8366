package org.callrouter.sip.syntax;

import static org.callrouter.sip.syntax.SipChars.DIGIT;
import static org.callrouter.sip.syntax.SipChars.HEX;
import static org.callrouter.sip.syntax.SipChars.HOST;
import static org.callrouter.sip.syntax.SipChars.TOKEN;
import static org.callrouter.sip.syntax.SipChars.WSP;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.callrouter.sip.codec.SipParseException;

/**
 * The terminals of the RFC 3261 grammar (section 25.1) as scans over byte ranges: each takes an
 * array, a start position and an exclusive end, and returns the position after what it matched.
 * Nothing here allocates except on the error path and in the explicit String conversions.
 *
 * <p>Within a header field value, CR and LF only occur as part of a fold (the splitter in the
 * codec guarantees it), so skipping whitespace skips them too: that is the {@code SWS} and
 * {@code LWS} of the grammar.
 */
public final class SipLexer {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SipLexer() {
    }

    /**
     * A field of decimal digits whose value fits 32 unsigned bits (RFC 3262's RSeq and RAck numbers,
     * RFC 4028's delta-seconds): at most ten digits, nothing else.
     *
     * @throws SipParseException (400 "Malformed {@code header}") otherwise
     */
    public static long unsigned32(String digits, String header) {
        if (digits.isEmpty() || digits.length() > 10) {
            throw error("Malformed " + header);
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            final char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw error("Malformed " + header);
            }
            n = n * 10 + (c - '0');
        }
        if (n > 4_294_967_295L) {
            throw error("Malformed " + header);
        }
        return n;
    }

    /** A 400 Bad Request error with the given reason. */
    public static SipParseException error(String reason) {
        return SipParseException.badRequest(reason);
    }

    /** Skips linear whitespace (SP, HTAB and folds). */
    public static int skipWs(byte[] a, int p, int end) {
        while (p < end) {
            byte b = a[p];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                break;
            }
            p++;
        }
        return p;
    }

    /** Moves {@code end} back over trailing linear whitespace, not below {@code start}. */
    public static int trimEnd(byte[] a, int start, int end) {
        while (end > start) {
            byte b = a[end - 1];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                break;
            }
            end--;
        }
        return end;
    }

    /** The end of the run of token characters at {@code p} (p itself when there is none). */
    public static int token(byte[] a, int p, int end) {
        while (p < end && SipChars.isTokenChar(a[p])) {
            p++;
        }
        return p;
    }

    /** The end of the run of characters of class {@code flags} at {@code p}. */
    public static int run(byte[] a, int p, int end, int flags) {
        while (p < end && SipChars.is(a[p], flags)) {
            p++;
        }
        return p;
    }

    /** A token at {@code p}, or a 400 naming {@code what}. */
    public static int requireToken(byte[] a, int p, int end, String what) {
        int q = token(a, p, end);
        if (q == p) {
            throw error("Malformed " + what);
        }
        return q;
    }

    /** Expects byte {@code c} at {@code p} (after optional whitespace); returns the position after it. */
    public static int expect(byte[] a, int p, int end, char c, String what) {
        p = skipWs(a, p, end);
        if (p >= end || a[p] != c) {
            throw error("Malformed " + what);
        }
        return p + 1;
    }

    /**
     * A quoted-string starting at the DQUOTE at {@code p}: qdtext (printable, UTF-8, LWS) and
     * quoted-pairs ({@code \} then any octet but CR and LF). Returns the position after the
     * closing DQUOTE.
     */
    public static int quotedString(byte[] a, int p, int end) {
        p++;
        while (p < end) {
            int b = a[p] & 0xFF;
            if (b == '"') {
                return p + 1;
            }
            if (b == '\\') {
                if (p + 1 >= end) {
                    break;
                }
                int next = a[p + 1] & 0xFF;
                if (next == '\r' || next == '\n' || next > 0x7F) {
                    throw error("Malformed quoted string");
                }
                p += 2;
                continue;
            }
            if (b < 0x20 && b != '\t' && b != '\r' && b != '\n' || b == 0x7F) {
                throw error("Control character in quoted string");
            }
            p++;
        }
        throw error("Unbalanced quotes");
    }

    /**
     * Whether [start, end) is a Call-ID: {@code word [ "@" word ]} (RFC 3261 20.8, 25.1).
     */
    public static boolean isCallId(byte[] a, int start, int end) {
        int p = run(a, start, end, SipChars.WORD);
        if (p == start) {
            return false;
        }
        if (p < end && a[p] == '@') {
            int q = run(a, p + 1, end, SipChars.WORD);
            return q > p + 1 && q == end;
        }
        return p == end;
    }

    /** The end of the run of digits at {@code p}. */
    public static int digits(byte[] a, int p, int end) {
        return run(a, p, end, DIGIT);
    }

    /**
     * The value of the digits in [start, end), or -1 when the range is empty, holds a non-digit
     * or exceeds {@code max}. Leading zeros are allowed, as {@code 1*DIGIT} allows them.
     */
    public static long parseDigits(byte[] a, int start, int end, long max) {
        if (start >= end) {
            return -1;
        }
        long value = 0;
        for (int p = start; p < end; p++) {
            int d = a[p] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
            if (value > max) {
                return -1;
            }
        }
        return value;
    }

    /** A port after its colon: 1 to 5 digits up to 65535. Returns the end of the digits. */
    public static int port(byte[] a, int p, int end) {
        int q = digits(a, p, end);
        if (parseDigits(a, p, q, 65535) < 0) {
            throw error("Malformed port");
        }
        return q;
    }

    /**
     * A {@code host} at {@code p}: hostname, IPv4address or IPv6reference (RFC 3261 25.1).
     * Returns the position after it.
     */
    public static int host(byte[] a, int p, int end) {
        if (p < end && a[p] == '[') {
            int close = indexOf(a, p + 1, end, (byte) ']');
            if (close < 0 || !isIpv6(a, p + 1, close)) {
                throw error("Malformed IPv6 reference");
            }
            return close + 1;
        }
        // one pass: labels of alphanum and inner hyphens; all-digit labels make an IPv4 address
        int q = p;
        int labelStart = p;
        int labels = 0;
        boolean numeric = true;
        boolean valid = true;
        boolean topAlpha = false;
        while (true) {
            byte b = q < end ? a[q] : 0;
            if (b == '.' || !SipChars.is(b, HOST)) {
                if (q == labelStart) {
                    // an empty label is only allowed after the final dot of a hostname
                    valid &= b != '.' && labels > 0 && !numeric;
                    break;
                }
                labels++;
                valid &= a[labelStart] != '-' && a[q - 1] != '-';
                numeric &= q - labelStart <= 3 && parseDigits(a, labelStart, q, 255) >= 0;
                topAlpha = SipChars.is(a[labelStart], SipChars.ALPHA);
                if (b != '.') {
                    break;
                }
                labelStart = ++q;
                continue;
            }
            q++;
        }
        if (q == p) {
            throw error("Missing host");
        }
        if (!valid || !(numeric ? labels == 4 : topAlpha)) {
            throw error("Malformed host");
        }
        return q;
    }

    /** Whether [start, end) is a dotted-quad IPv4address with octets 0..255. */
    public static boolean isIpv4(byte[] a, int start, int end) {
        int octets = 0;
        int p = start;
        while (true) {
            int q = digits(a, p, end);
            if (q == p || q - p > 3 || parseDigits(a, p, q, 255) < 0) {
                return false;
            }
            octets++;
            if (q == end) {
                return octets == 4;
            }
            if (a[q] != '.' || octets == 4) {
                return false;
            }
            p = q + 1;
        }
    }

    /** Whether [start, end) is an IPv6address (RFC 4291 2.2 text form, no brackets). */
    public static boolean isIpv6(byte[] a, int start, int end) {
        int groups = 0;
        boolean compressed = false;
        int p = start;
        if (end - start >= 2 && a[p] == ':' && a[p + 1] == ':') {
            compressed = true;
            p += 2;
            if (p == end) {
                return true;
            }
        } else if (p < end && a[p] == ':') {
            return false;
        }
        while (p < end) {
            int q = run(a, p, end, HEX);
            if (q < end && a[q] == '.') {
                if (!isIpv4(a, p, end)) {
                    return false;
                }
                groups += 2;
                p = end;
                break;
            }
            if (q == p || q - p > 4) {
                return false;
            }
            groups++;
            if (q == end) {
                p = q;
                break;
            }
            if (a[q] != ':') {
                return false;
            }
            if (q + 1 < end && a[q + 1] == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                p = q + 2;
                if (p == end) {
                    break;
                }
            } else {
                p = q + 1;
                if (p == end) {
                    return false;
                }
            }
        }
        return compressed ? groups < 8 : groups == 8;
    }

    /** An {@code escaped} ("%" HEXDIG HEXDIG) at {@code p}; returns the position after it. */
    public static int escaped(byte[] a, int p, int end) {
        if (p + 2 >= end || SipChars.hexValue(a[p + 1]) < 0 || SipChars.hexValue(a[p + 2]) < 0) {
            throw error("Malformed escape");
        }
        return p + 3;
    }

    /**
     * Scans a run of characters of class {@code flags} or escapes at {@code p}; returns its end.
     */
    public static int escapedRun(byte[] a, int p, int end, int flags) {
        while (p < end) {
            byte b = a[p];
            if (b == '%') {
                p = escaped(a, p, end);
            } else if (SipChars.is(b, flags)) {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    /**
     * The end of the list element starting at {@code p}: the first comma not inside a
     * quoted-string or angle brackets, or {@code end}.
     */
    public static int listElementEnd(byte[] a, int p, int end) {
        while (p < end) {
            byte b = a[p];
            if (b == ',') {
                return p;
            }
            if (b == '"') {
                p++;
                while (p < end && a[p] != '"') {
                    p += a[p] == '\\' ? 2 : 1;
                }
            } else if (b == '<') {
                int close = indexOf(a, p, end, (byte) '>');
                p = close < 0 ? end : close;
            }
            p++;
        }
        return end;
    }

    /**
     * The first position of a CR or LF in [p, end), or {@code end}. Reads eight bytes at a time
     * (SWAR): header lines are most of a message, so this is the parser's innermost loop.
     */
    public static int indexOfCrOrLf(byte[] a, int p, int end) {
        while (p + Long.BYTES <= end) {
            long word = (long) LONGS.get(a, p);
            long cr = word ^ 0x0D0D0D0D0D0D0D0DL;
            long lf = word ^ 0x0A0A0A0A0A0A0A0AL;
            long found = ((cr - 0x0101010101010101L) & ~cr | (lf - 0x0101010101010101L) & ~lf)
                    & 0x8080808080808080L;
            if (found != 0) {
                return p + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            p += Long.BYTES;
        }
        while (p < end && a[p] != '\r' && a[p] != '\n') {
            p++;
        }
        return p;
    }

    /** The first position of {@code b} in [p, end), or -1. */
    public static int indexOf(byte[] a, int p, int end, byte b) {
        for (; p < end; p++) {
            if (a[p] == b) {
                return p;
            }
        }
        return -1;
    }

    /** Whether [start, end) is exactly {@code ascii} (an ASCII string), byte for byte. */
    public static boolean regionEquals(byte[] a, int start, int end, String ascii) {
        if (end - start != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (a[start + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether [start, end) equals {@code lower} ignoring ASCII case; {@code lower} is lower case. */
    public static boolean equalsIgnoreCase(byte[] a, int start, int end, String lower) {
        if (end - start != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (SipChars.lower(a[start + i]) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** [start, end) as a String of its ASCII (ISO-8859-1) bytes: for grammar-restricted text. */
    public static String ascii(byte[] a, int start, int end) {
        return new String(a, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** [start, end) decoded as UTF-8: for free text (display names, reasons, values). */
    public static String utf8(byte[] a, int start, int end) {
        return new String(a, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * [start, end) as text with each fold, and the whitespace around it, replaced by one SP
     * (RFC 3261 7.3.1).
     */
    public static String unfold(byte[] a, int start, int end) {
        if (indexOf(a, start, end, (byte) '\r') < 0) {
            return utf8(a, start, end);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        for (int p = start; p < end; p++) {
            byte b = a[p];
            if (b == '\r') {
                while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t')) {
                    n--;
                }
                p = run(a, p + 2, end, WSP) - 1;
                out[n++] = ' ';
            } else {
                out[n++] = b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** The content of the quoted-string [start, end) (quotes included) with quoted-pairs resolved. */
    public static String unquote(byte[] a, int start, int end) {
        byte[] out = new byte[end - start];
        int n = 0;
        for (int p = start + 1; p < end - 1; p++) {
            byte b = a[p];
            if (b == '\\') {
                b = a[++p];
            } else if (b == '\r') {
                p = run(a, p + 2, end - 1, WSP) - 1;
                b = ' ';
            }
            out[n++] = b;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** [start, end) with its %HH escapes decoded, the octets read as UTF-8 (RFC 3261 19.1.2). */
    public static String unescape(byte[] a, int start, int end) {
        if (indexOf(a, start, end, (byte) '%') < 0) {
            return ascii(a, start, end);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        for (int p = start; p < end; p++) {
            byte b = a[p];
            if (b == '%' && p + 2 < end
                    && SipChars.hexValue(a[p + 1]) >= 0 && SipChars.hexValue(a[p + 2]) >= 0) {
                b = (byte) (SipChars.hexValue(a[p + 1]) << 4 | SipChars.hexValue(a[p + 2]));
                p += 2;
            }
            out[n++] = b;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** The bytes of {@code s} as UTF-8. */
    public static byte[] bytes(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
