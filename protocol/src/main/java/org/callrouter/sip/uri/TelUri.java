package org.callrouter.sip.uri;

import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.syntax.UriScanner;

/** A tel: URI (RFC 3966): a global ({@code +}) or local number and its parameters. */
public final class TelUri extends Uri {

    private final String number;
    private final Parameters params;

    TelUri(String text, byte[] a, UriScanner s) {
        super(text);
        number = SipLexer.ascii(a, s.userStart, s.userEnd);
        params = Parameters.ofUri(a, s.paramsStart + 1, s.paramsEnd, (byte) ';');
    }

    @Override
    public String scheme() {
        return "tel";
    }

    /** The number as written, visual separators included, e.g. "+1-201-555-0123". */
    public String number() {
        return number;
    }

    /** Whether the number is global (starts with "+"). */
    public boolean isGlobal() {
        return number.charAt(0) == '+';
    }

    /** The value of parameter {@code name} (any case), unescaped; null when absent or valueless. */
    public String param(String name) {
        return params.get(name);
    }

    /** All parameters in order. */
    public Parameters params() {
        return params;
    }
}
