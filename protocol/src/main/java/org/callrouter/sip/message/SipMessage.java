package org.callrouter.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.callrouter.sip.header.CSeq;
import org.callrouter.sip.header.NameAddress;
import org.callrouter.sip.header.RAck;
import org.callrouter.sip.header.SessionExpires;
import org.callrouter.sip.header.Via;
import org.callrouter.sip.syntax.NameAddrScanner;
import org.callrouter.sip.syntax.SipChars;
import org.callrouter.sip.syntax.SipLexer;

/**
 * A SIP message (RFC 3261 7) as a view over its wire bytes: the start line, the header fields
 * as byte ranges ({@link HeaderIndex}) and the body range. Nothing is copied; values become
 * Strings and typed objects only when asked for, and are then cached.
 *
 * <p>A message returned by {@code SipParser} has had its start line, Via, From, To, Call-ID,
 * CSeq, Max-Forwards, Content-Length and Content-Type validated, so their accessors never throw.
 * The other typed accessors (Contact, Route, Require, ...) parse on first use and may throw
 * {@code SipParseException}. The message that a {@code SipParseException} carries as its
 * partial message was not validated: its typed accessors may throw, its raw ones do not.
 *
 * <p>Not thread-safe to mutate, and nothing mutates it: the caches hold immutable objects, so a
 * message may be read from several threads once safely published.
 */
public abstract class SipMessage {

    private static final String APPLICATION_SDP = "application/sdp";

    private final byte[] array;
    private final int offset;
    private final int length;
    private final int startLineEnd;
    private final HeaderIndex headers;
    private final int bodyOffset;
    private final int bodyLength;

    private String callId;
    private CSeq cseq;
    private Via topVia;
    private List<Via> vias;
    private NameAddress from;
    private NameAddress to;

    SipMessage(byte[] array, int offset, int length, int startLineEnd, HeaderIndex headers, int bodyOffset,
            int bodyLength) {
        if (offset < 0 || length < 0 || offset + length > array.length || startLineEnd <= offset
                || bodyOffset < startLineEnd
                || bodyLength < 0 || bodyOffset + bodyLength > offset + length) {
            throw new IllegalArgumentException("inconsistent message ranges");
        }
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.startLineEnd = startLineEnd;
        this.headers = headers;
        this.bodyOffset = bodyOffset;
        this.bodyLength = bodyLength;
    }

    /** Whether this is a request (else a response). */
    public abstract boolean isRequest();

    /** The array holding the wire bytes this message views (not a copy). */
    public byte[] array() {
        return array;
    }

    /** Where the message starts in {@link #array()}. */
    public int offset() {
        return offset;
    }

    /** The message's length in bytes, body included. */
    public int length() {
        return length;
    }

    /** Where the start line ends, after its CRLF. */
    public int startLineEnd() {
        return startLineEnd;
    }

    /** The header fields as byte ranges over {@link #array()}. */
    public HeaderIndex headers() {
        return headers;
    }

    /** The number of header fields. */
    public int headerCount() {
        return headers.count();
    }

    /** The name of header field {@code i} (wire order). */
    public HeaderName headerName(int i) {
        return headers.name(i);
    }

    /** The value of header field {@code i}: trimmed, folds replaced by a space. */
    public String headerValue(int i) {
        return headers.folded(i) ? SipLexer.unfold(array, headers.valueStart(i), headers.valueEnd(i))
                : SipLexer.utf8(array, headers.valueStart(i), headers.valueEnd(i));
    }

    /** The first value of header {@code name} (trimmed, unfolded), or null when absent. */
    public String header(HeaderName name) {
        int i = headers.indexOf(name, 0);
        return i < 0 ? null : headerValue(i);
    }

    /** The first value of header {@code name} (any case or compact form), or null. */
    public String header(String name) {
        return header(HeaderName.of(name));
    }

    /** Whether header {@code name} is present. */
    public boolean hasHeader(HeaderName name) {
        return headers.indexOf(name, 0) >= 0;
    }

    /** How many fields named {@code name} there are. */
    public int headerOccurrences(HeaderName name) {
        int n = 0;
        for (int i = headers.indexOf(name, 0); i >= 0; i = headers.indexOf(name, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * All values of header {@code name} in wire order. A list-valued header
     * ({@link HeaderName#isListValued()}) is split at its top-level commas (not those inside
     * quotes or angle brackets), each element trimmed; empty elements are dropped.
     */
    public List<String> headerValues(HeaderName name) {
        final int first = headers.indexOf(name, 0);
        if (first < 0) {
            // The usual case (no Record-Route, no Route...): nothing to allocate, nothing for a
            // dialog to keep.
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        for (int i = first; i >= 0; i = headers.indexOf(name, i + 1)) {
            if (!name.isListValued()) {
                out.add(headerValue(i));
                continue;
            }
            int end = headers.valueEnd(i);
            int p = headers.valueStart(i);
            while (p < end) {
                int elementEnd = SipLexer.listElementEnd(array, p, end);
                int s = SipLexer.skipWs(array, p, elementEnd);
                int e = SipLexer.trimEnd(array, s, elementEnd);
                if (e > s) {
                    out.add(SipLexer.unfold(array, s, e));
                }
                p = elementEnd + 1;
            }
        }
        return out;
    }

    /** The Call-ID (RFC 3261 20.8). */
    public String callId() {
        if (callId == null) {
            int i = required(HeaderName.CALL_ID);
            callId = SipLexer.ascii(array, headers.valueStart(i), headers.valueEnd(i));
        }
        return callId;
    }

    /** The CSeq (RFC 3261 20.16). */
    public CSeq cseq() {
        if (cseq == null) {
            int i = required(HeaderName.CSEQ);
            cseq = CSeq.parse(array, headers.valueStart(i), headers.valueEnd(i));
        }
        return cseq;
    }

    /** The topmost Via value: the first via-parm of the first Via field. */
    public Via topVia() {
        if (topVia == null) {
            int i = required(HeaderName.VIA);
            topVia = Via.parseFirst(array, headers.valueStart(i), headers.valueEnd(i));
        }
        return topVia;
    }

    /** All Via values, top first, comma lists split. */
    public List<Via> vias() {
        if (vias == null) {
            List<Via> out = new ArrayList<>(2);
            for (int i = headers.indexOf(HeaderName.VIA, 0); i >= 0; i = headers.indexOf(HeaderName.VIA, i + 1)) {
                Via.parseList(array, headers.valueStart(i), headers.valueEnd(i), out);
            }
            vias = Collections.unmodifiableList(out);
        }
        return vias;
    }

    /** The From value (RFC 3261 20.20). */
    public NameAddress from() {
        if (from == null) {
            from = single(HeaderName.FROM);
        }
        return from;
    }

    /** The To value (RFC 3261 20.39). */
    public NameAddress to() {
        if (to == null) {
            to = single(HeaderName.TO);
        }
        return to;
    }

    /** The From tag, or null when absent (RFC 2543 peers). */
    public String fromTag() {
        return from != null ? from.tag() : tag(HeaderName.FROM);
    }

    /** The To tag, or null when absent (a request outside a dialog). */
    public String toTag() {
        return to != null ? to.tag() : tag(HeaderName.TO);
    }

    /** The tag of From or To read straight from the bytes, without building the whole value. */
    private String tag(HeaderName name) {
        int i = required(name);
        NameAddrScanner scanner = new NameAddrScanner();
        scanner.scan(array, headers.valueStart(i), headers.valueEnd(i), 0, name.name());
        return scanner.tagStart < 0 ? null : SipLexer.ascii(array, scanner.tagStart, scanner.tagEnd);
    }

    /** The Max-Forwards value (0..255), or -1 when absent. */
    public int maxForwards() {
        int i = headers.indexOf(HeaderName.MAX_FORWARDS, 0);
        if (i < 0) {
            return -1;
        }
        long v = SipLexer.parseDigits(array, headers.valueStart(i), headers.valueEnd(i), 255);
        if (v < 0) {
            throw SipLexer.error("Malformed Max-Forwards");
        }
        return (int) v;
    }

    /** The declared Content-Length, or -1 when absent. */
    public int contentLength() {
        int i = headers.indexOf(HeaderName.CONTENT_LENGTH, 0);
        if (i < 0) {
            return -1;
        }
        long v = SipLexer.parseDigits(array, headers.valueStart(i), headers.valueEnd(i), Integer.MAX_VALUE);
        if (v < 0) {
            throw SipLexer.error("Malformed Content-Length");
        }
        return (int) v;
    }

    /** The Content-Type value with its parameters, as written (unfolded), or null when absent. */
    public String contentType() {
        final int i = headers.indexOf(HeaderName.CONTENT_TYPE, 0);
        if (i < 0) {
            return null;
        }
        // Nearly every body the router relays is SDP written just so: no String for it.
        final int start = headers.valueStart(i);
        final int end = headers.valueEnd(i);
        return SipLexer.regionEquals(array, start, end, APPLICATION_SDP) ? APPLICATION_SDP : headerValue(i);
    }

    /**
     * The media type of the body in lower case without parameters, e.g. "application/sdp", or
     * null when there is no Content-Type.
     */
    public String mediaType() {
        int i = headers.indexOf(HeaderName.CONTENT_TYPE, 0);
        if (i < 0) {
            return null;
        }
        int s = headers.valueStart(i);
        int e = SipLexer.indexOf(array, s, headers.valueEnd(i), (byte) ';');
        e = SipLexer.trimEnd(array, s, e < 0 ? headers.valueEnd(i) : e);
        StringBuilder sb = new StringBuilder(e - s);
        for (int p = s; p < e; p++) {
            byte b = array[p];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                sb.append((char) (b >= 'A' && b <= 'Z' ? b | 0x20 : b));
            }
        }
        return sb.toString();
    }

    /** Where the body starts in {@link #array()}. */
    public int bodyOffset() {
        return bodyOffset;
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return bodyLength;
    }

    /** A copy of the body. */
    public byte[] body() {
        return Arrays.copyOfRange(array, bodyOffset, bodyOffset + bodyLength);
    }

    /**
     * The Contact values in order (RFC 3261 20.10); empty when there is none or the value is
     * the wildcard "*" (see {@link #isContactWildcard()}).
     */
    public List<NameAddress> contacts() {
        List<NameAddress> out = new ArrayList<>(1);
        for (int i = headers.indexOf(HeaderName.CONTACT, 0); i >= 0; i = headers.indexOf(HeaderName.CONTACT, i + 1)) {
            if (!isWildcard(i)) {
                NameAddress.parseList(array, headers.valueStart(i), headers.valueEnd(i),
                        NameAddrScanner.CONTACT, "Contact", out);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Whether a Contact value is the wildcard "*" (REGISTER only, RFC 3261 10.2.2). */
    public boolean isContactWildcard() {
        for (int i = headers.indexOf(HeaderName.CONTACT, 0); i >= 0; i = headers.indexOf(HeaderName.CONTACT, i + 1)) {
            if (isWildcard(i)) {
                return true;
            }
        }
        return false;
    }

    private boolean isWildcard(int i) {
        return headers.valueEnd(i) - headers.valueStart(i) == 1 && array[headers.valueStart(i)] == '*';
    }

    /** The Record-Route values in order (RFC 3261 20.30). */
    public List<NameAddress> recordRoutes() {
        return nameAddrs(HeaderName.RECORD_ROUTE);
    }

    /** The Route values in order (RFC 3261 20.34). */
    public List<NameAddress> routes() {
        return nameAddrs(HeaderName.ROUTE);
    }

    /** The option tags of Require (RFC 3261 20.32). */
    public List<String> require() {
        return optionTags(HeaderName.REQUIRE);
    }

    /** The option tags of Proxy-Require (RFC 3261 20.29). */
    public List<String> proxyRequire() {
        return optionTags(HeaderName.PROXY_REQUIRE);
    }

    /** The option tags of Supported (RFC 3261 20.37). */
    public List<String> supported() {
        return optionTags(HeaderName.SUPPORTED);
    }

    /**
     * The {@code Session-Expires} value (RFC 4028 4), or null when absent (looked up by header
     * id: nothing is parsed or allocated for a message without one).
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public SessionExpires sessionExpires() {
        int i = headers.indexOf(HeaderName.SESSION_EXPIRES, 0);
        return i < 0 ? null : SessionExpires.parse(headerValue(i));
    }

    /**
     * The {@code Min-SE} delta-seconds (RFC 4028 5), or -1 when absent.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public long minSe() {
        int i = headers.indexOf(HeaderName.MIN_SE, 0);
        return i < 0 ? -1 : SessionExpires.parseMinSe(headerValue(i));
    }

    /**
     * The {@code RSeq} of a reliable provisional response (RFC 3262 7.1), or -1 when absent
     * (looked up by header id: nothing is parsed for a message without one).
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public long rseq() {
        int i = headers.indexOf(HeaderName.RSEQ, 0);
        return i < 0 ? -1 : RAck.parseRSeq(headerValue(i));
    }

    /**
     * The {@code RAck} of a PRACK (RFC 3262 7.2), or null when absent.
     *
     * @throws org.callrouter.sip.codec.SipParseException (400) when malformed
     */
    public RAck rack() {
        int i = headers.indexOf(HeaderName.RACK, 0);
        return i < 0 ? null : RAck.parse(headerValue(i));
    }

    /** Whether an option-tag list header ({@code Supported}, {@code Require}) lists {@code tag}, any case. */
    public boolean listsOptionTag(HeaderName name, String tag) {
        for (String listed : optionTags(name)) {
            if (listed.equalsIgnoreCase(tag)) {
                return true;
            }
        }
        return false;
    }

    private List<String> optionTags(HeaderName name) {
        List<String> tags = headerValues(name);
        for (String tag : tags) {
            if (!SipChars.isToken(tag)) {
                throw SipLexer.error("Malformed " + name.name());
            }
        }
        return tags;
    }

    private List<NameAddress> nameAddrs(HeaderName name) {
        List<NameAddress> out = new ArrayList<>(2);
        for (int i = headers.indexOf(name, 0); i >= 0; i = headers.indexOf(name, i + 1)) {
            NameAddress.parseList(array, headers.valueStart(i), headers.valueEnd(i),
                    NameAddrScanner.NAME_ADDR_ONLY, name.name(), out);
        }
        return Collections.unmodifiableList(out);
    }

    private NameAddress single(HeaderName name) {
        int i = required(name);
        return NameAddress.parse(array, headers.valueStart(i), headers.valueEnd(i), 0, name.name());
    }

    private int required(HeaderName name) {
        int i = headers.indexOf(name, 0);
        if (i < 0) {
            throw SipLexer.error("Missing " + name.name());
        }
        return i;
    }

    /** The message as text (UTF-8), for diagnostics. */
    @Override
    public String toString() {
        return new String(array, offset, length, StandardCharsets.UTF_8);
    }
}
