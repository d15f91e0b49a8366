package org.callrouter.sip.header;

import java.util.Locale;

import org.callrouter.sip.syntax.SipChars;
import org.callrouter.sip.syntax.SipLexer;

/**
 * A {@code Session-Expires} value (RFC 4028 section 4): the session interval in seconds and who
 * refreshes the session, {@code uac} or {@code uas} of the transaction that carries it, or null
 * when the sender left that open. Other parameters are allowed and ignored.
 *
 * <pre>
 * Session-Expires  =  ("Session-Expires" / "x") HCOLON delta-seconds *(SEMI se-params)
 * se-params        =  refresher-param / generic-param
 * refresher-param  =  "refresher" EQUAL  ("uas" / "uac")
 * Min-SE           =  "Min-SE" HCOLON delta-seconds *(SEMI generic-param)
 * </pre>
 *
 * @param seconds   the session interval
 * @param refresher who refreshes, or null when not said
 */
public record SessionExpires(long seconds, Refresher refresher) {

    /** The {@code refresher} parameter: the UAC or the UAS of the transaction carrying the value. */
    public enum Refresher {
        UAC, UAS;

        /** The parameter value: {@code uac} or {@code uas}. */
        public String token() {
            return this == UAC ? "uac" : "uas";
        }
    }

    /**
     * Parses a {@code Session-Expires} value.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static SessionExpires parse(String value) {
        final String[] parts = value.split(";", -1);
        // delta-seconds: RFC 3261 25.1 allows any length; 2**32-1 is the usual cap.
        final long seconds = SipLexer.unsigned32(parts[0].trim(), "Session-Expires");
        Refresher refresher = null;
        for (int i = 1; i < parts.length; i++) {
            final String param = parts[i].trim();
            final int eq = param.indexOf('=');
            final String name = (eq < 0 ? param : param.substring(0, eq)).trim();
            if (name.isEmpty() || !SipChars.isToken(name)) {
                throw SipLexer.error("Malformed Session-Expires parameter");
            }
            if (name.equalsIgnoreCase("refresher")) {
                final String who = eq < 0 ? "" : param.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
                refresher = switch (who) {
                    case "uac" -> Refresher.UAC;
                    case "uas" -> Refresher.UAS;
                    default -> throw SipLexer.error("Malformed Session-Expires refresher (uac or uas)");
                };
            }
        }
        return new SessionExpires(seconds, refresher);
    }

    /**
     * Parses a {@code Min-SE} value: its delta-seconds (parameters ignored).
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public static long parseMinSe(String value) {
        final int semi = value.indexOf(';');
        return SipLexer.unsigned32((semi < 0 ? value : value.substring(0, semi)).trim(), "Min-SE");
    }

    /** The header value: {@code seconds;refresher=uac} (or without the parameter). */
    @Override
    public String toString() {
        return refresher == null ? Long.toString(seconds) : seconds + ";refresher=" + refresher.token();
    }
}
