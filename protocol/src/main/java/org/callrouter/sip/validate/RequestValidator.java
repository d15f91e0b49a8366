package org.callrouter.sip.validate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.message.HeaderIndex;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.syntax.MediaTypeScanner;
import org.callrouter.sip.syntax.SipChars;

/**
 * The checks a UAS or B2BUA makes on a request after parsing it (RFC 3261 8.2, 16.3; the
 * application-layer cases of RFC 4475 3.3), in this order:
 * <ol>
 *   <li>400: a single-value header repeated; a malformed Contact, Route, Record-Route, Require,
 *       Proxy-Require, Supported, Unsupported, Allow, Accept, Content-Encoding, Expires,
 *       Min-Expires or Date (RFC 4475 3.1.2.12, 3.1.2.13); a CSeq method other than the request
 *       method (RFC 4475 3.1.2.17); a body without Content-Type (RFC 3261 20.15);</li>
 *   <li>416: a Request-URI scheme not served (RFC 3261 8.2.2.1);</li>
 *   <li>483: Max-Forwards 0 (RFC 3261 16.3 step 3);</li>
 *   <li>420 with Unsupported: a Require option tag not supported, except on ACK and CANCEL
 *       (RFC 3261 8.2.2.3);</li>
 *   <li>415 with Accept or Accept-Encoding: a body type or coding not accepted (RFC 3261 8.2.3);</li>
 *   <li>406: an INVITE whose Accept excludes application/sdp, so no answer could carry one
 *       (RFC 4475 3.3.15).</li>
 * </ol>
 * The parser has already enforced the mandatory Via, From, To, Call-ID and CSeq, the
 * single-value rule for them and for Max-Forwards, Content-Length and Content-Type, and
 * Content-Length framing. Max-Forwards may be absent (RFC 4475 3.4.1, RFC 2543 peers).
 *
 * <p>An ACK cannot be answered: a caller discards an ACK that is rejected.
 */
public final class RequestValidator {

    private static final String SDP = "application/sdp";
    private static final Pattern RFC1123_DATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                    + " [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
    private static final HeaderName[] TOKEN_LISTS = {
        HeaderName.REQUIRE, HeaderName.PROXY_REQUIRE, HeaderName.SUPPORTED, HeaderName.UNSUPPORTED,
        HeaderName.ALLOW, HeaderName.CONTENT_ENCODING,
    };
    private static final HeaderName[] DELTA_SECONDS = {
        HeaderName.EXPIRES, HeaderName.MIN_EXPIRES,
    };

    private final Set<String> supportedOptionTags;
    private final Set<String> acceptedContentTypes;
    private final Set<String> uriSchemes;
    private final String acceptLine;

    /**
     * @param supportedOptionTags  option tags this element supports (RFC 3261 19.2), any case
     * @param acceptedContentTypes body media types accepted, e.g. "application/sdp", any case
     * @param uriSchemes           Request-URI schemes served, e.g. "sip", any case
     */
    public RequestValidator(Set<String> supportedOptionTags, Set<String> acceptedContentTypes,
            Set<String> uriSchemes) {
        this.supportedOptionTags = lower(supportedOptionTags);
        this.acceptedContentTypes = lower(acceptedContentTypes);
        this.uriSchemes = lower(uriSchemes);
        this.acceptLine = "Accept: " + String.join(", ", this.acceptedContentTypes);
    }

    /**
     * No option tags beyond the base protocol; bodies of application/sdp (sessions),
     * application/dtmf-relay (SIP INFO DTMF) and multipart/mixed (RFC 4475 3.1.1.11);
     * Request-URI schemes sip, sips and tel.
     */
    public static RequestValidator defaults() {
        return new RequestValidator(Set.of(), orderedSet(SDP, "application/dtmf-relay", "multipart/mixed"),
                Set.of("sip", "sips", "tel"));
    }

    /** This validator with {@code tags} supported too (as {@code timer} when session timers are on, RFC 4028). */
    public RequestValidator supporting(String... tags) {
        Set<String> more = new LinkedHashSet<>(supportedOptionTags);
        more.addAll(List.of(tags));
        return new RequestValidator(more, acceptedContentTypes, uriSchemes);
    }

    private static Set<String> orderedSet(String... values) {
        return new LinkedHashSet<>(List.of(values));
    }

    private static Set<String> lower(Set<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            out.add(v.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** Why {@code request} must be refused, or null when it is acceptable. */
    public Rejection validate(SipRequest request) {
        try {
            Rejection syntax = checkSyntax(request);
            if (syntax != null) {
                return syntax;
            }
        } catch (SipParseException e) {
            return Rejection.of(e.status(), e.reason());
        }
        if (!uriSchemes.contains(request.requestUri().scheme())) {
            return Rejection.of(416, "Unsupported URI Scheme");
        }
        if (request.maxForwards() == 0) {
            return Rejection.of(483, "Too Many Hops");
        }
        SipMethod method = request.method();
        if (!method.equals(SipMethod.ACK) && !method.equals(SipMethod.CANCEL)) {
            List<String> unsupported = new ArrayList<>();
            for (String tag : request.require()) {
                if (!supportedOptionTags.contains(tag.toLowerCase(Locale.ROOT))) {
                    unsupported.add(tag);
                }
            }
            if (!unsupported.isEmpty()) {
                return new Rejection(420, "Bad Extension", List.of("Unsupported: " + String.join(", ", unsupported)));
            }
        }
        if (request.bodyLength() > 0) {
            if (!acceptedContentTypes.contains(request.mediaType())) {
                return new Rejection(415, "Unsupported Media Type", List.of(acceptLine));
            }
            for (String coding : request.headerValues(HeaderName.CONTENT_ENCODING)) {
                if (!coding.equalsIgnoreCase("identity")) {
                    return new Rejection(415, "Unsupported Media Type", List.of("Accept-Encoding: identity"));
                }
            }
        }
        if (method.equals(SipMethod.INVITE) && request.hasHeader(HeaderName.ACCEPT) && !accepts(request, SDP)) {
            return Rejection.of(406, "Not Acceptable");
        }
        return null;
    }

    private static Rejection checkSyntax(SipRequest request) {
        HeaderIndex headers = request.headers();
        for (int i = 0; i < headers.count(); i++) {
            HeaderName name = headers.knownName(i);
            if (name != null && name.isSingleValued() && headers.indexOf(name, i + 1) >= 0) {
                return Rejection.of(400, "Repeated " + name.name());
            }
        }
        request.contacts();
        if (request.isContactWildcard() && (request.headerOccurrences(HeaderName.CONTACT) > 1
                || !request.method().equals(SipMethod.REGISTER))) {
            return Rejection.of(400, "Malformed Contact");
        }
        request.routes();
        request.recordRoutes();
        for (HeaderName name : TOKEN_LISTS) {
            for (String value : request.headerValues(name)) {
                if (!SipChars.isToken(value)) {
                    return Rejection.of(400, "Malformed " + name.name());
                }
            }
        }
        for (HeaderName name : DELTA_SECONDS) {
            String value = request.header(name);
            if (value != null && (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9'))) {
                return Rejection.of(400, "Malformed " + name.name());
            }
        }
        String date = request.header(HeaderName.DATE);
        if (date != null && !RFC1123_DATE.matcher(date).matches()) {
            return Rejection.of(400, "Malformed Date");
        }
        checkAccept(request);
        if (!request.method().equals(request.cseq().method())) {
            return Rejection.of(400, "CSeq method does not match");
        }
        if (request.bodyLength() > 0 && request.contentType() == null) {
            return Rejection.of(400, "Missing Content-Type");
        }
        return null;
    }

    private static void checkAccept(SipRequest request) {
        MediaTypeScanner scanner = new MediaTypeScanner();
        byte[] a = request.array();
        HeaderIndex headers = request.headers();
        for (int i = headers.indexOf(HeaderName.ACCEPT, 0); i >= 0; i = headers.indexOf(HeaderName.ACCEPT, i + 1)) {
            int end = headers.valueEnd(i);
            int p = headers.valueStart(i);
            while (p < end) {
                p = scanner.scan(a, p, end, true, "Accept") + 1;
            }
        }
    }

    /** Whether the Accept fields admit {@code type} ("type/subtype"), wildcards included. */
    private static boolean accepts(SipRequest request, String type) {
        MediaTypeScanner scanner = new MediaTypeScanner();
        byte[] a = request.array();
        HeaderIndex headers = request.headers();
        String mainType = type.substring(0, type.indexOf('/'));
        for (int i = headers.indexOf(HeaderName.ACCEPT, 0); i >= 0; i = headers.indexOf(HeaderName.ACCEPT, i + 1)) {
            int end = headers.valueEnd(i);
            int p = headers.valueStart(i);
            while (p < end) {
                int next = scanner.scan(a, p, end, true, "Accept");
                if (scanner.is(a, type) || scanner.is(a, "*/*") || scanner.is(a, mainType + "/*")) {
                    return true;
                }
                p = next + 1;
            }
        }
        return false;
    }

    /** The header line for a 415 answer: the accepted media types (RFC 3261 8.2.3). */
    public String acceptHeaderLine() {
        return acceptLine;
    }
}
