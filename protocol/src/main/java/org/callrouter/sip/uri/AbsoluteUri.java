package org.callrouter.sip.uri;

import java.util.Locale;

/**
 * A URI of a scheme SIP does not interpret (absoluteURI, RFC 3261 25.1), e.g.
 * {@code http://www.example.com} or {@code isbn:2983792873}: kept as text.
 */
public final class AbsoluteUri extends Uri {

    private final String scheme;

    AbsoluteUri(String text, String scheme) {
        super(text);
        this.scheme = scheme.toLowerCase(Locale.ROOT);
    }

    @Override
    public String scheme() {
        return scheme;
    }

    /** Everything after the scheme's colon, as written. */
    public String schemeSpecificPart() {
        return toString().substring(scheme.length() + 1);
    }
}
