package org.callrouter.sip.codec;

import org.callrouter.sip.message.SipMessage;

/**
 * A SIP message, or part of one, that does not follow the grammar or the limits: carries the
 * status a UAS answers with (400 Bad Request, 414 Request-URI Too Long, 505 Version Not
 * Supported, 513 Message Too Large) and a short reason fit for the reason phrase.
 *
 * <p>Unchecked, so that the lazy accessors of {@link SipMessage} can throw it too. It carries no
 * stack trace: it reports bad input, not a bug, and a flood of bad datagrams must stay cheap.
 */
public class SipParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;
    private final transient SipMessage partial;

    /**
     * @param status the SIP status code to answer with (400..699)
     * @param reason a short reason phrase: printable ASCII, no CR or LF
     */
    public SipParseException(int status, String reason) {
        this(status, reason, null);
    }

    /**
     * @param status  the SIP status code to answer with (400..699)
     * @param reason  a short reason phrase: printable ASCII, no CR or LF
     * @param partial the message as far as it could be split, or null
     */
    public SipParseException(int status, String reason, SipMessage partial) {
        super(status + " " + reason, null, false, false);
        if (status < 400 || status > 699) {
            throw new IllegalArgumentException("status " + status + " is not an error status");
        }
        this.status = status;
        this.reason = reason;
        this.partial = partial;
    }

    /** A 400 Bad Request with the given reason. */
    public static SipParseException badRequest(String reason) {
        return new SipParseException(400, reason);
    }

    /** The status a UAS answers a request with: 400, 414, 505 or 513. */
    public int status() {
        return status;
    }

    /** A short reason, fit for a reason phrase. */
    public String reason() {
        return reason;
    }

    /**
     * The message as far as it could be split: its start line and the header fields read before
     * the error, as byte ranges. Its typed accessors may throw; its raw header accessors do not.
     * A UAS uses it to answer a request whose Via, From, To, Call-ID and CSeq are readable
     * (RFC 3261 8.2). Null when not even the start line could be found.
     */
    public SipMessage partial() {
        return partial;
    }

    /** This error, carrying {@code message} as its partial message. */
    public SipParseException withPartial(SipMessage message) {
        return message == partial ? this : new SipParseException(status, reason, message);
    }
}
