package org.callrouter.sip.codec;

import static org.callrouter.sip.codec.SipParseException.badRequest;

import org.callrouter.sip.header.CSeq;
import org.callrouter.sip.message.HeaderIndex;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.syntax.MediaTypeScanner;
import org.callrouter.sip.syntax.NameAddrScanner;
import org.callrouter.sip.syntax.SipLexer;
import org.callrouter.sip.syntax.UriScanner;
import org.callrouter.sip.syntax.ViaScanner;

/**
 * The one parser core behind {@link SipParser}, {@link SipDatagramDecoder} and
 * {@link SipStreamDecoder}: splits a message into start line, header fields and body
 * (RFC 3261 7), frames the body by Content-Length (RFC 3261 18.3), and validates eagerly what
 * a server reads on every message: the start line, Via, From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Length and Content-Type.
 *
 * <p>Once the start line and header fields are split, every error carries the message as far
 * as it was split, so a server can still answer a broken request (RFC 4475 3.1.2).
 */
final class MessageParser {

    /** Scanners are reused per thread: a parse then allocates only the message and its index. */
    private static final ThreadLocal<Scanners> SCANNERS = ThreadLocal.withInitial(Scanners::new);

    private static final int EXPECTED_HEADERS = 16;

    private MessageParser() {
    }

    /**
     * Parses the message in [offset, offset + length).
     *
     * @param stream whether it came from a stream: Content-Length is then required (RFC 3261
     *               18.3); from a datagram, a missing Content-Length means "the rest", and bytes
     *               after the declared body are dropped
     */
    static SipMessage parse(byte[] a, int offset, int length, SipLimits limits, boolean stream) {
        if (length > limits.maxMessageBytes()) {
            throw new SipParseException(513, "Message Too Large");
        }
        int end = offset + length;
        int start = offset;
        while (start + 1 < end && a[start] == '\r' && a[start + 1] == '\n') {
            start += 2;
        }
        if (start >= end) {
            throw badRequest("Empty message");
        }
        int crlf = lineEnd(a, start, end, false);
        boolean response = isStatusLine(a, start, crlf);
        if (crlf - start + 2 > limits.maxStartLineBytes()) {
            throw response ? badRequest("Status line too long") : new SipParseException(414, "Request-URI Too Long");
        }
        StartLine line = response ? statusLine(a, start, crlf) : requestLine(a, start, crlf);
        int startLineEnd = crlf + 2;

        Scanners scanners = SCANNERS.get();
        HeaderIndex.Builder index = new HeaderIndex.Builder(a, scanners.headerScratch);
        int bodyStart;
        try {
            bodyStart = splitHeaders(a, startLineEnd, end, limits, index);
        } catch (SipParseException e) {
            int splitEnd = index.count() == 0 ? startLineEnd : index.build().lineEnd(index.count() - 1);
            throw e.withPartial(line.message(a, start, splitEnd - start, startLineEnd, index.build(), splitEnd, 0));
        } finally {
            scanners.headerScratch = index.scratch(); // grown or not, it is the one to reuse
        }
        HeaderIndex headers = index.build();
        boolean complete = bodyStart >= 0;
        int headerEnd = complete ? bodyStart : end;

        int bodyLength;
        try {
            bodyLength = bodyLength(a, headers, headerEnd, end, limits, stream, start);
        } catch (SipParseException e) {
            throw e.withPartial(line.message(a, start, headerEnd - start, startLineEnd, headers, headerEnd, 0));
        }
        SipMessage message = line.message(a, start, headerEnd + bodyLength - start, startLineEnd, headers,
                headerEnd, bodyLength);
        try {
            line.validate(a, scanners);
            validateHeaders(a, headers, scanners);
        } catch (SipParseException e) {
            throw e.withPartial(message);
        }
        if (!complete) {
            throw badRequest("Missing empty line after header fields").withPartial(message);
        }
        return message;
    }

    /**
     * The Content-Length of a header block [start, end) that ends with its empty line, as the
     * stream decoder needs it to frame the body: the start line is skipped, every field line
     * split (folds included) and the one Content-Length field read.
     *
     * @throws SipParseException 400 when it is missing, repeated or malformed
     */
    static int streamContentLength(byte[] a, int start, int end) {
        int p = lineEnd(a, start, end, false) + 2;
        int value = -1;
        while (p < end && a[p] != '\r') {
            int nameEnd = SipLexer.token(a, p, end);
            int colon = skipWsp(a, nameEnd, end);
            if (nameEnd == p || colon >= end || a[colon] != ':') {
                throw badRequest("Malformed header field");
            }
            int crlf = lineEnd(a, colon + 1, end, true);
            if (HeaderName.lookup(a, p, nameEnd) == HeaderName.CONTENT_LENGTH) {
                if (value >= 0) {
                    throw badRequest("Repeated Content-Length");
                }
                int vs = SipLexer.skipWs(a, colon + 1, crlf);
                long v = SipLexer.parseDigits(a, vs, SipLexer.trimEnd(a, vs, crlf), Integer.MAX_VALUE);
                if (v < 0) {
                    throw badRequest("Malformed Content-Length");
                }
                value = (int) v;
            }
            p = crlf + 2;
        }
        if (value < 0) {
            throw badRequest("Missing Content-Length");
        }
        return value;
    }

    /**
     * Where the line at {@code p} ends: the position of its CR. With {@code folds}, a CRLF
     * followed by SP or HTAB continues the line (RFC 3261 7.3.1). A bare CR or LF is an error.
     */
    private static int lineEnd(byte[] a, int p, int end, boolean folds) {
        while (true) {
            p = SipLexer.indexOfCrOrLf(a, p, end);
            if (p >= end) {
                throw badRequest("Incomplete line");
            }
            if (a[p] == '\n' || p + 1 >= end || a[p + 1] != '\n') {
                throw badRequest("Bare CR or LF");
            }
            if (!folds || p + 2 >= end || (a[p + 2] != ' ' && a[p + 2] != '\t')) {
                return p;
            }
            p += 3;
        }
    }

    private static int skipWsp(byte[] a, int p, int end) {
        while (p < end && (a[p] == ' ' || a[p] == '\t')) {
            p++;
        }
        return p;
    }

    /**
     * Splits the header fields starting at {@code p} into {@code index}.
     *
     * @return where the body starts (after the empty line), or -1 when the bytes end after a
     *         complete field without the empty line
     */
    private static int splitHeaders(byte[] a, int p, int end, SipLimits limits, HeaderIndex.Builder index) {
        while (true) {
            if (p >= end) {
                return -1;
            }
            byte b = a[p];
            if (b == '\r' || b == '\n') {
                if (b == '\n' || p + 1 >= end || a[p + 1] != '\n') {
                    throw badRequest("Bare CR or LF");
                }
                return p + 2;
            }
            int nameEnd = SipLexer.token(a, p, end);
            if (nameEnd == p) {
                throw badRequest(b == ' ' || b == '\t' ? "Folded line without header field" : "Malformed header name");
            }
            int colon = skipWsp(a, nameEnd, end);
            if (colon >= end || a[colon] != ':') {
                throw badRequest("Malformed header field");
            }
            int crlf = colon + 1;
            boolean folded = false;
            while (true) {
                crlf = lineEnd(a, crlf, end, false);
                if (crlf + 2 >= end || (a[crlf + 2] != ' ' && a[crlf + 2] != '\t')) {
                    break;
                }
                folded = true;
                crlf += 3;
            }
            int lineEnd = crlf + 2;
            if (lineEnd - p > limits.maxHeaderFieldBytes()) {
                throw badRequest("Header Field Too Long");
            }
            if (index.count() == limits.maxHeaderCount()) {
                throw badRequest("Too Many Header Fields");
            }
            int valueStart = SipLexer.skipWs(a, colon + 1, crlf);
            int valueEnd = SipLexer.trimEnd(a, valueStart, crlf);
            index.add(HeaderName.lookup(a, p, nameEnd), p, nameEnd, valueStart, valueEnd, lineEnd, folded);
            p = lineEnd;
        }
    }

    /** The body length: Content-Length framing (RFC 3261 18.3, 20.14) and the size limit. */
    private static int bodyLength(byte[] a, HeaderIndex headers, int bodyStart, int end, SipLimits limits,
            boolean stream, int messageStart) {
        int i = headers.indexOf(HeaderName.CONTENT_LENGTH, 0);
        if (i < 0) {
            if (stream) {
                throw badRequest("Missing Content-Length");
            }
            return end - bodyStart;
        }
        if (headers.indexOf(HeaderName.CONTENT_LENGTH, i + 1) >= 0) {
            throw badRequest("Repeated Content-Length");
        }
        long length = SipLexer.parseDigits(a, headers.valueStart(i), headers.valueEnd(i), Integer.MAX_VALUE);
        if (length < 0) {
            throw badRequest("Malformed Content-Length");
        }
        if (bodyStart - messageStart + length > limits.maxMessageBytes()) {
            throw new SipParseException(513, "Message Too Large");
        }
        if (bodyStart + length > end) {
            throw badRequest("Content-Length exceeds message");
        }
        return (int) length;
    }

    private static void validateHeaders(byte[] a, HeaderIndex headers, Scanners scanners) {
        int via = -1;
        int from = -1;
        int to = -1;
        int callId = -1;
        int cseq = -1;
        int maxForwards = -1;
        int contentType = -1;
        for (int i = 0; i < headers.count(); i++) {
            HeaderName name = headers.knownName(i);
            if (name == null) {
                continue;
            }
            int s = headers.valueStart(i);
            int e = headers.valueEnd(i);
            if (name == HeaderName.VIA) {
                via = i;
                scanners.via.scanAll(a, s, e);
            } else if (name == HeaderName.FROM) {
                from = once(from, i, name);
                scanners.nameAddr.scan(a, s, e, 0, "From");
            } else if (name == HeaderName.TO) {
                to = once(to, i, name);
                scanners.nameAddr.scan(a, s, e, 0, "To");
            } else if (name == HeaderName.CALL_ID) {
                callId = once(callId, i, name);
                if (!SipLexer.isCallId(a, s, e)) {
                    throw badRequest("Malformed Call-ID");
                }
            } else if (name == HeaderName.CSEQ) {
                cseq = once(cseq, i, name);
                CSeq.scan(a, s, e);
            } else if (name == HeaderName.MAX_FORWARDS) {
                maxForwards = once(maxForwards, i, name);
                if (SipLexer.parseDigits(a, s, e, 255) < 0) {
                    throw badRequest("Malformed Max-Forwards");
                }
            } else if (name == HeaderName.CONTENT_TYPE) {
                contentType = once(contentType, i, name);
                scanners.mediaType.scan(a, s, e, false, "Content-Type");
            }
        }
        if (via < 0 || from < 0 || to < 0 || callId < 0 || cseq < 0) {
            throw badRequest(missing(via, from, to, callId, cseq));
        }
    }

    private static int once(int previous, int i, HeaderName name) {
        if (previous >= 0) {
            throw badRequest("Repeated " + name.name());
        }
        return i;
    }

    private static String missing(int via, int from, int to, int callId, int cseq) {
        StringBuilder sb = new StringBuilder("Missing");
        String sep = " ";
        int[] found = {via, from, to, callId, cseq};
        HeaderName[] names = {HeaderName.VIA, HeaderName.FROM, HeaderName.TO, HeaderName.CALL_ID, HeaderName.CSEQ};
        for (int k = 0; k < found.length; k++) {
            if (found[k] < 0) {
                sb.append(sep).append(names[k].name());
                sep = ", ";
            }
        }
        return sb.toString();
    }

    private static boolean isStatusLine(byte[] a, int start, int end) {
        return end - start > 4 && SipLexer.equalsIgnoreCase(a, start, start + 4, "sip/");
    }

    /** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 7.2, 25.1). */
    private static StartLine statusLine(byte[] a, int start, int crlf) {
        int p = version(a, start, crlf);
        if (p == start || p >= crlf || a[p] != ' ') {
            throw badRequest("Malformed status line");
        }
        if (!isVersion20(a, start, p)) {
            throw new SipParseException(505, "Version Not Supported");
        }
        int code = p + 1;
        int codeEnd = SipLexer.digits(a, code, crlf);
        long status = SipLexer.parseDigits(a, code, codeEnd, 999);
        if (codeEnd - code != 3 || status < 100 || status > 699 || codeEnd >= crlf || a[codeEnd] != ' ') {
            throw badRequest("Malformed status code");
        }
        for (int q = codeEnd + 1; q < crlf; q++) {
            int b = a[q] & 0xFF;
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                throw badRequest("Control character in reason phrase");
            }
        }
        return new StartLine((int) status, codeEnd + 1, crlf);
    }

    /**
     * Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 7.1, 25.1). The line is
     * split loosely here (method, then the URI up to the next space) so that a request with a
     * bad URI or version still yields a partial message; {@link StartLine#validate} is strict.
     */
    private static StartLine requestLine(byte[] a, int start, int crlf) {
        int methodEnd = SipLexer.token(a, start, crlf);
        if (methodEnd == start || methodEnd >= crlf || a[methodEnd] != ' ') {
            throw badRequest("Malformed request line");
        }
        int uriStart = methodEnd + 1;
        int uriEnd = SipLexer.indexOf(a, uriStart, crlf, (byte) ' ');
        return new StartLine(SipMethod.of(a, start, methodEnd), uriStart, uriEnd < 0 ? crlf : uriEnd, crlf);
    }

    /** The end of {@code "SIP/" 1*DIGIT "." 1*DIGIT} at {@code p}, or {@code p} when there is none. */
    private static int version(byte[] a, int p, int end) {
        if (end - p < 7 || !SipLexer.equalsIgnoreCase(a, p, p + 4, "sip/")) {
            return p;
        }
        int major = SipLexer.digits(a, p + 4, end);
        if (major == p + 4 || major >= end || a[major] != '.') {
            return p;
        }
        int minor = SipLexer.digits(a, major + 1, end);
        return minor == major + 1 ? p : minor;
    }

    private static boolean isVersion20(byte[] a, int start, int end) {
        return end - start == 7 && a[start + 4] == '2' && a[start + 5] == '.' && a[start + 6] == '0';
    }

    /** The start line as split; builds the message and validates the line strictly. */
    private static final class StartLine {

        private final SipMethod method;
        private final int status;
        private final int first;
        private final int second;
        private final int crlf;

        StartLine(SipMethod method, int uriStart, int uriEnd, int crlf) {
            this.method = method;
            this.status = 0;
            this.first = uriStart;
            this.second = uriEnd;
            this.crlf = crlf;
        }

        StartLine(int status, int reasonStart, int crlf) {
            this.method = null;
            this.status = status;
            this.first = reasonStart;
            this.second = crlf;
            this.crlf = crlf;
        }

        SipMessage message(byte[] a, int offset, int length, int startLineEnd, HeaderIndex headers, int bodyOffset,
                int bodyLength) {
            return method != null
                    ? new SipRequest(a, offset, length, startLineEnd, method, first, second, headers, bodyOffset,
                            bodyLength)
                    : new SipResponse(a, offset, length, startLineEnd, status, first, second, headers, bodyOffset,
                            bodyLength);
        }

        /** Checks the Request-URI and version; a status line was checked when split. */
        void validate(byte[] a, Scanners scanners) {
            if (method == null) {
                return;
            }
            int uriStart = first;
            int uriEnd = second;
            if (uriEnd == uriStart || uriEnd >= crlf) {
                throw badRequest("Malformed request line");
            }
            int versionEnd = version(a, uriEnd + 1, crlf);
            if (versionEnd != crlf) {
                throw badRequest("Malformed request line");
            }
            if (!isVersion20(a, uriEnd + 1, crlf)) {
                throw new SipParseException(505, "Version Not Supported");
            }
            UriScanner uri = scanners.nameAddr.uri;
            try {
                uri.scan(a, uriStart, uriEnd);
            } catch (SipParseException e) {
                throw badRequest("Malformed Request-URI");
            }
            if (uri.isSip() && uri.headersStart >= 0) {
                // RFC 3261 19.1.1, Table 1: headers are not allowed in a Request-URI
                throw badRequest("Headers in Request-URI");
            }
        }
    }

    /** The scanners one parse needs, reused per thread. */
    private static final class Scanners {
        /** The header index's fields as they are split, copied out at their exact size (grows, never shrinks). */
        int[] headerScratch = HeaderIndex.Builder.newScratch(EXPECTED_HEADERS);
        final ViaScanner via = new ViaScanner();
        final NameAddrScanner nameAddr = new NameAddrScanner();
        final MediaTypeScanner mediaType = new MediaTypeScanner();
    }
}
