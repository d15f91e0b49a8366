package org.callrouter.server.sipua;

import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;

/**
 * A SIP response a test peer received.
 *
 * @param status         the status code
 * @param reason         the reason phrase
 * @param method         the method of the request it answers (from CSeq)
 * @param callId         the Call-ID
 * @param cseq           the CSeq sequence number
 * @param toTag          the To tag ({@code null} on a {@code 100 Trying} without one)
 * @param headers        every header field (for {@code Reason}, {@code Retry-After}, …)
 * @param body           the body decoded as UTF-8 ({@code ""} when empty)
 * @param retransmission whether jain-sip flagged it as a retransmission of a response already seen
 * @param arrivalNs      {@link System#nanoTime()} when the user agent saw the response
 */
public record ReceivedResponse(int status, String reason, String method, String callId, long cseq, String toTag,
                               Headers headers, String body, boolean retransmission, long arrivalNs) {

    static ReceivedResponse of(Response response, boolean retransmission, long arrivalNs) {
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        return new ReceivedResponse(response.getStatusCode(), response.getReasonPhrase(), cseq.getMethod(),
                ((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId(), cseq.getSeqNumber(),
                ((ToHeader) response.getHeader(ToHeader.NAME)).getTag(), Headers.of(response),
                Headers.body(response), retransmission, arrivalNs);
    }

    /** The first value of header field {@code name}, or {@code null}: shorthand for {@code headers().first(name)}. */
    public String header(String name) {
        return headers.first(name);
    }

    /** Whether this is a final response (RFC 3261 section 7.2: 200–699). */
    public boolean isFinal() {
        return status >= 200;
    }

    @Override
    public String toString() {
        return status + " " + reason + " (" + method + " " + cseq + ", Call-ID " + callId + ")";
    }
}
