package org.callrouter.sip.uri;

import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.syntax.UriScanner;

/**
 * A sip: or sips: URI (RFC 3261 19.1.1): {@code sip:user:password@host:port;params?headers}.
 * User, password, parameters and headers are given unescaped (RFC 3261 19.1.2);
 * {@link #rawUser()} keeps the user part as written.
 */
public final class SipUri extends Uri {

    private final boolean secure;
    private final String rawUser;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final Parameters params;
    private final Parameters headers;

    SipUri(String text, byte[] a, UriScanner s) {
        super(text);
        secure = s.kind == UriScanner.SIPS;
        rawUser = s.userStart < 0 ? null : SipLexer.ascii(a, s.userStart, s.userEnd);
        user = rawUser == null || rawUser.indexOf('%') < 0 ? rawUser : SipLexer.unescape(a, s.userStart, s.userEnd);
        password = s.passwordStart < 0 ? null : SipLexer.unescape(a, s.passwordStart, s.passwordEnd);
        host = SipLexer.ascii(a, s.hostStart, s.hostEnd);
        port = s.port;
        params = Parameters.ofUri(a, s.paramsStart + 1, s.paramsEnd, (byte) ';');
        headers = s.headersStart < 0 ? Parameters.NONE : Parameters.ofUri(a, s.headersStart, s.end, (byte) '&');
    }

    /** Parses a sip: or sips: URI; a 400 SipParseException for anything else. */
    public static SipUri parseSip(CharSequence text) {
        Uri uri = Uri.parse(text);
        if (!(uri instanceof SipUri)) {
            throw SipLexer.error("Not a SIP URI");
        }
        return (SipUri) uri;
    }

    @Override
    public String scheme() {
        return secure ? "sips" : "sip";
    }

    /** Whether this is a sips: URI. */
    public boolean secure() {
        return secure;
    }

    /** The user part, unescaped; null when absent. */
    public String user() {
        return user;
    }

    /** The user part as written (escapes kept); null when absent. */
    public String rawUser() {
        return rawUser;
    }

    /** The password, unescaped; null when absent. */
    public String password() {
        return password;
    }

    /** The host as written: a name, an IPv4 address, or an IPv6 reference with its brackets. */
    public String host() {
        return host;
    }

    /** The port, or -1 when absent. */
    public int port() {
        return port;
    }

    /** The value of URI parameter {@code name} (any case), unescaped; null when absent or valueless. */
    public String param(String name) {
        return params.get(name);
    }

    /** Whether URI parameter {@code name} is present (e.g. "lr"). */
    public boolean hasParam(String name) {
        return params.has(name);
    }

    /** All URI parameters in order. */
    public Parameters params() {
        return params;
    }

    /** The value of URI header {@code name} (any case), unescaped; null when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    /** All URI headers in order. */
    public Parameters headers() {
        return headers;
    }
}
