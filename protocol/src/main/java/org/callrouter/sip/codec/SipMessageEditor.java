package org.callrouter.sip.codec;

import java.nio.charset.StandardCharsets;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.syntax.ParamScanner;
import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.syntax.ViaScanner;

/**
 * Edits a parsed message the way a proxy or B2BUA relays it (RFC 3261 16.6, 18.2.1; RFC 3581):
 * Via push and pop, received/rport, Request-URI, header fields added and removed, Max-Forwards,
 * body. Every field not edited is written byte for byte as received, in its place; an edited
 * field keeps its name as written ("v:" stays "v:"). Content-Length is always made to match the
 * body: a correct one is kept, a wrong one rewritten in place, a missing one added last.
 *
 * <p>Edits apply in call order to the editor's view of the fields; the message itself never
 * changes, and its bytes must not change before encoding.
 */
public final class SipMessageEditor extends Encodable {

    private static final byte[] VERSION_CRLF = " SIP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SipMessage message;
    private FieldList lines;
    private byte[] startLine;
    private boolean bodySet;
    private String contentType;
    private byte[] bodyArray;
    private int bodyOffset;
    private int bodyLength;

    private SipMessageEditor(SipMessage message) {
        this.message = message;
        bodyArray = message.array();
        bodyOffset = message.bodyOffset();
        bodyLength = message.bodyLength();
    }

    /** The editor's view of the header fields, made on the first edit. */
    private FieldList lines() {
        if (lines == null) {
            lines = new FieldList(message);
        }
        return lines;
    }

    /** An editor over {@code message}. */
    public static SipMessageEditor of(SipMessage message) {
        return new SipMessageEditor(message);
    }

    /**
     * Removes the topmost Via value: the whole first Via field, or its first via-parm when it
     * holds several (RFC 3261 16.7 step 3, 18.1.2).
     *
     * @throws IllegalStateException when there is no Via
     */
    public SipMessageEditor removeTopVia() {
        int i = first(HeaderName.VIA);
        if (i < 0) {
            throw new IllegalStateException("no Via to remove");
        }
        FieldLine line = lines().get(i);
        ViaScanner via = new ViaScanner();
        int p = via.scan(line.a, line.valueStart, line.valueEnd);
        if (p >= line.valueEnd) {
            lines().remove(i);
        } else {
            int rest = SipLexer.skipWs(line.a, p + 1, line.valueEnd);
            lines().set(i, line.withValue(line.a, rest, line.valueEnd));
        }
        return this;
    }

    /**
     * Adds a Via field above all others (RFC 3261 16.6 step 8).
     *
     * @throws IllegalArgumentException when {@code value} is not a valid Via value
     */
    public SipMessageEditor addTopVia(CharSequence value) {
        byte[] a = SipLexer.bytes(Segments.checkValue(value));
        ViaScanner via = new ViaScanner();
        try {
            via.scanAll(a, 0, a.length);
        } catch (SipParseException e) {
            throw new IllegalArgumentException("not a valid Via value: '" + value + "' (" + e.reason() + ")", e);
        }
        int i = first(HeaderName.VIA);
        lines().add(i < 0 ? 0 : i, FieldLine.of(HeaderName.VIA, a));
        return this;
    }

    /**
     * Sets the received and rport parameters of the topmost Via value (RFC 3261 18.2.1,
     * RFC 3581 4): an existing parameter is replaced in place, a new one appended. A server
     * adds received when the source address differs from the sent-by host, and rport's value
     * only when the request had an rport parameter.
     *
     * @param received the source IP address, or null to leave received alone
     * @param rport    the source port, or -1 to leave rport alone
     * @throws IllegalArgumentException when {@code received} is not an IP address or
     *                                  {@code rport} is not a port
     * @throws IllegalStateException    when there is no Via
     */
    public SipMessageEditor setTopViaReceived(String received, int rport) {
        if (received != null) {
            byte[] r = SipLexer.bytes(received);
            if (!SipLexer.isIpv4(r, 0, r.length) && !SipLexer.isIpv6(r, 0, r.length)) {
                throw new IllegalArgumentException("received must be an IP address: '" + received + "'");
            }
        }
        if (rport < -1 || rport > 65535) {
            throw new IllegalArgumentException("rport " + rport + " is not a port");
        }
        int i = first(HeaderName.VIA);
        if (i < 0) {
            throw new IllegalStateException("no Via to set received on");
        }
        FieldLine line = lines().get(i);
        byte[] a = line.a;
        ViaScanner via = new ViaScanner();
        via.scan(a, line.valueStart, line.valueEnd);
        Segments value = new Segments().add(a, line.valueStart, via.paramsStart);
        ParamScanner param = new ParamScanner();
        boolean rportWritten = false;
        int p = via.paramsStart;
        for (int q = param.next(a, p, via.end); q >= 0; p = q, q = param.next(a, p, via.end)) {
            if (received != null && param.nameIs(a, "received")) {
                continue;
            }
            if (rport >= 0 && param.nameIs(a, "rport")) {
                value.add(";rport=").add(rport);
                rportWritten = true;
            } else {
                value.add(a, p, q);
            }
        }
        if (received != null) {
            value.add(";received=").add(received);
        }
        if (rport >= 0 && !rportWritten) {
            value.add(";rport=").add(rport);
        }
        value.add(a, via.end, line.valueEnd);
        byte[] v = value.toBytes();
        lines().set(i, line.withValue(v, 0, v.length));
        return this;
    }

    /**
     * Replaces the transport and sent-by of the topmost Via value, keeping its parameters
     * (branch, rport...) as written: what a client transport does when it sends a request over
     * another transport than the one its Via names (RFC 3261 18.1.1).
     *
     * @param transport the new transport token ({@code TCP})
     * @param sentBy    the new {@code host[:port]}, an IPv6 host in brackets
     * @throws IllegalArgumentException when the result is not a valid Via value
     * @throws IllegalStateException    when there is no Via
     */
    public SipMessageEditor setTopViaSentBy(String transport, String sentBy) {
        int i = first(HeaderName.VIA);
        if (i < 0) {
            throw new IllegalStateException("no Via to change");
        }
        FieldLine line = lines().get(i);
        byte[] a = line.a;
        ViaScanner via = new ViaScanner();
        via.scan(a, line.valueStart, line.valueEnd);
        byte[] v = new Segments().add("SIP/2.0/").add(transport).add(" ").add(sentBy)
                .add(a, via.paramsStart, line.valueEnd).toBytes();
        try {
            new ViaScanner().scan(v, 0, v.length);
        } catch (SipParseException e) {
            throw new IllegalArgumentException("not a valid Via: '" + transport + " " + sentBy + "' (" + e.reason() + ")", e);
        }
        lines().set(i, line.withValue(v, 0, v.length));
        return this;
    }

    /**
     * Replaces the Request-URI (RFC 3261 16.6 step 2).
     *
     * @throws IllegalStateException    when the message is a response
     * @throws IllegalArgumentException when {@code uri} is not a valid Request-URI
     */
    public SipMessageEditor setRequestUri(CharSequence uri) {
        if (!(message instanceof SipRequest)) {
            throw new IllegalStateException("a response has no Request-URI");
        }
        byte[] u = SipRequestBuilder.checkRequestUri(uri);
        byte[] method = ((SipRequest) message).method().name().getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[method.length + 1 + u.length + VERSION_CRLF.length];
        System.arraycopy(method, 0, line, 0, method.length);
        line[method.length] = ' ';
        System.arraycopy(u, 0, line, method.length + 1, u.length);
        System.arraycopy(VERSION_CRLF, 0, line, method.length + 1 + u.length, VERSION_CRLF.length);
        startLine = line;
        return this;
    }

    /** Removes every field named {@code name}. */
    public SipMessageEditor removeHeaders(HeaderName name) {
        lines().removeAll(name);
        return this;
    }

    /**
     * Adds field {@code name: value} after the existing fields.
     *
     * @throws IllegalArgumentException when the value holds CR, LF or another control character
     */
    public SipMessageEditor addHeader(HeaderName name, CharSequence value) {
        lines().add(FieldLine.of(name, value));
        return this;
    }

    /**
     * Adds field {@code name: value} before the first field of that name (as a proxy adds
     * Record-Route or a Route, RFC 3261 16.6), or after the existing fields when there is none.
     *
     * @throws IllegalArgumentException when the value holds CR, LF or another control character
     */
    public SipMessageEditor addHeaderFirst(HeaderName name, CharSequence value) {
        int i = first(name);
        lines().add(i < 0 ? lines().size() : i, FieldLine.of(name, value));
        return this;
    }

    /**
     * Decrements Max-Forwards (RFC 3261 16.6 step 3); when there is none, adds
     * {@code Max-Forwards: 70} as that step says.
     *
     * @throws IllegalStateException when it is already 0: the request is answered 483 instead
     */
    public SipMessageEditor decrementMaxForwards() {
        int i = first(HeaderName.MAX_FORWARDS);
        if (i < 0) {
            lines().add(FieldLine.of(HeaderName.MAX_FORWARDS, Integer.toString(SipRequestBuilder.DEFAULT_MAX_FORWARDS)));
            return this;
        }
        FieldLine line = lines().get(i);
        long value = SipLexer.parseDigits(line.a, line.valueStart, line.valueEnd, 255);
        if (value <= 0) {
            throw new IllegalStateException("Max-Forwards is " + value + ": answer 483 instead of forwarding");
        }
        byte[] v = SipLexer.bytes(Long.toString(value - 1));
        lines().set(i, line.withValue(v, 0, v.length));
        return this;
    }

    /**
     * Replaces the body and its Content-Type; a null type with an empty body removes both.
     *
     * @throws IllegalArgumentException when the body is not empty and {@code contentType} is null
     */
    public SipMessageEditor body(String contentType, byte[] array, int offset, int length) {
        this.contentType = MessageBuilder.checkBody(contentType, array, offset, length);
        bodySet = true;
        bodyArray = array;
        bodyOffset = offset;
        bodyLength = length;
        return this;
    }

    @Override
    void writeSegments(Segments out) {
        if (lines == null && startLine == null && !bodySet && message.contentLength() >= 0) {
            // nothing edited and the Content-Length the parser framed by is present: one range
            out.add(message.array(), message.offset(), message.offset() + message.length());
            return;
        }
        if (startLine != null) {
            out.add(startLine);
        } else {
            out.add(message.array(), message.offset(), message.startLineEnd());
        }
        boolean typeWritten = false;
        boolean lengthWritten = false;
        FieldList fields = lines();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.is(i, HeaderName.CONTENT_TYPE) && bodySet) {
                if (contentType != null && !typeWritten) {
                    fields.get(i).withValue(SipLexer.bytes(contentType)).writeTo(out);
                    typeWritten = true;
                }
            } else if (fields.is(i, HeaderName.CONTENT_LENGTH)) {
                if (!lengthWritten) {
                    FieldLine line = fields.get(i);
                    long declared = SipLexer.parseDigits(line.a, line.valueStart, line.valueEnd, Integer.MAX_VALUE);
                    (declared == bodyLength ? line : line.withValue(SipLexer.bytes(Integer.toString(bodyLength))))
                            .writeTo(out);
                    lengthWritten = true;
                }
            } else {
                fields.writeTo(i, out);
            }
        }
        if (bodySet && contentType != null && !typeWritten) {
            out.header(HeaderName.CONTENT_TYPE, contentType);
        }
        if (!lengthWritten) {
            out.add("Content-Length: ").add(bodyLength).add(Segments.CRLF);
        }
        out.add(Segments.CRLF).add(bodyArray, bodyOffset, bodyOffset + bodyLength);
    }

    private int first(HeaderName name) {
        return lines().first(name);
    }
}
