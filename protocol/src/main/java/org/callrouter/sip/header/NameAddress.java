package org.callrouter.sip.header;

import java.util.ArrayList;
import java.util.List;
import org.callrouter.sip.syntax.NameAddrScanner;
import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.uri.Parameters;
import org.callrouter.sip.uri.Uri;

/**
 * A name-addr or addr-spec with its header parameters, as in From, To, Contact, Route and
 * Record-Route (RFC 3261 20.10, 20.20, 20.34, 20.39): an optional display name, a URI, and
 * parameters such as tag. {@link #toString()} gives the value exactly as written.
 */
public final class NameAddress extends HeaderValue {

    private final String displayName;
    private final Uri uri;

    private NameAddress(String text, byte[] a, NameAddrScanner s) {
        super(text, Parameters.ofHeader(a, s.paramsStart, s.paramsEnd));
        if (s.displayStart < 0) {
            displayName = null;
        } else if (a[s.displayStart] == '"') {
            displayName = SipLexer.unquote(a, s.displayStart, s.displayEnd);
        } else {
            displayName = SipLexer.unfold(a, s.displayStart, s.displayEnd);
        }
        uri = Uri.of(a, s.uri);
    }

    /**
     * Parses a single name-addr or addr-spec with parameters.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static NameAddress parse(CharSequence value) {
        byte[] a = SipLexer.bytes(value);
        return parse(a, 0, a.length, 0, "address");
    }

    /**
     * Parses the single value in [start, end).
     *
     * @param flags {@link NameAddrScanner} flags, e.g. {@link NameAddrScanner#NAME_ADDR_ONLY}
     * @param what  the header name, for error reasons
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static NameAddress parse(byte[] a, int start, int end, int flags, String what) {
        NameAddrScanner scanner = new NameAddrScanner();
        int p = scanner.scan(a, start, end, flags & ~NameAddrScanner.LIST, what);
        if (p != end) {
            throw SipLexer.error("Malformed " + what);
        }
        return of(a, scanner, start);
    }

    /**
     * Parses the comma-separated values in [start, end) and adds them to {@code out}.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static void parseList(byte[] a, int start, int end, int flags, String what, List<NameAddress> out) {
        NameAddrScanner scanner = new NameAddrScanner();
        int p = start;
        while (true) {
            int elementStart = SipLexer.skipWs(a, p, end);
            p = scanner.scan(a, elementStart, end, flags | NameAddrScanner.LIST, what);
            out.add(of(a, scanner, elementStart));
            if (p >= end) {
                return;
            }
            p++;
        }
    }

    /** Parses a comma-separated list of values. */
    public static List<NameAddress> parseList(CharSequence value) {
        byte[] a = SipLexer.bytes(value);
        List<NameAddress> out = new ArrayList<>();
        parseList(a, 0, a.length, 0, "address", out);
        return out;
    }

    private static NameAddress of(byte[] a, NameAddrScanner s, int start) {
        int from = SipLexer.skipWs(a, start, s.paramsEnd);
        return new NameAddress(SipLexer.unfold(a, from, s.paramsEnd), a, s);
    }

    /** The display name (unquoted, quoted-pairs resolved), or null when there is none. */
    public String displayName() {
        return displayName;
    }

    /** The URI. */
    public Uri uri() {
        return uri;
    }

    /** The tag parameter (RFC 3261 19.3), or null. */
    public String tag() {
        return param("tag");
    }
}
