package org.callrouter.sip.uri;

import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.syntax.UriScanner;

/**
 * A URI as SIP carries it (RFC 3261 19.1, 25.1): {@link SipUri} for sip: and sips:,
 * {@link TelUri} for tel: (RFC 3966), {@link AbsoluteUri} for any other scheme. A parsed URI
 * keeps its text exactly as written, and {@link #toString()} gives it back, so relaying a URI
 * never changes it.
 *
 * <p>Equality is that of the text as written, not the RFC 3261 19.1.4 comparison rules.
 */
public abstract class Uri {

    private final String text;

    Uri(String text) {
        this.text = text;
    }

    /**
     * Parses a URI.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when it is malformed
     */
    public static Uri parse(CharSequence text) {
        byte[] a = SipLexer.bytes(text);
        return parse(a, 0, a.length);
    }

    /**
     * Parses the URI occupying exactly [start, end).
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when it is malformed
     */
    public static Uri parse(byte[] a, int start, int end) {
        UriScanner scanner = new UriScanner();
        scanner.scan(a, start, end);
        return of(a, scanner);
    }

    /** The URI a scanner has just validated. */
    public static Uri of(byte[] a, UriScanner scanned) {
        String text = SipLexer.utf8(a, scanned.start, scanned.end);
        switch (scanned.kind) {
            case UriScanner.SIP:
            case UriScanner.SIPS:
                return new SipUri(text, a, scanned);
            case UriScanner.TEL:
                return new TelUri(text, a, scanned);
            default:
                return new AbsoluteUri(text, SipLexer.ascii(a, scanned.start, scanned.schemeEnd));
        }
    }

    /** The scheme in lower case: "sip", "sips", "tel", or another. */
    public abstract String scheme();

    @Override
    public final boolean equals(Object o) {
        return o == this || o instanceof Uri && ((Uri) o).text.equals(text);
    }

    @Override
    public final int hashCode() {
        return text.hashCode();
    }

    /** The URI as written. */
    @Override
    public final String toString() {
        return text;
    }
}
