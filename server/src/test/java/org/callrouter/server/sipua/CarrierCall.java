package org.callrouter.server.sipua;

import java.time.Duration;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;

/**
 * One call placed by a {@link Carrier}: waits on its answers, and the carrier's side of the rest of
 * the call (CANCEL, BYE, INFO, re-INVITE). Every wait is bounded and fails with an
 * {@link AssertionError} listing what did arrive.
 */
public final class CarrierCall {
    private final SipUa ua;
    private final ClientTransaction invite;
    private final String callId;
    private final long inviteCseq;
    private final String dialedNumber;
    private final String callerNumber;

    CarrierCall(SipUa ua, ClientTransaction invite, String dialedNumber, String callerNumber) {
        this.ua = ua;
        this.invite = invite;
        this.callId = SipUa.callIdOf(invite.getRequest());
        this.inviteCseq = ((CSeqHeader) invite.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
        this.dialedNumber = dialedNumber;
        this.callerNumber = callerNumber;
    }

    /** The Call-ID of the carrier's leg. */
    public String callId() {
        return callId;
    }

    /** The number dialed (the Request-URI user). */
    public String dialedNumber() {
        return dialedNumber;
    }

    /** The caller's number (the From user). */
    public String callerNumber() {
        return callerNumber;
    }

    /** The INVITE as sent, in wire form (a valid message to mutate, for example). */
    public String inviteText() {
        return invite.getRequest().toString();
    }

    /** Every response of this call so far (to the INVITE, CANCEL, BYE, INFO, …), in arrival order. */
    public List<ReceivedResponse> responses() {
        return ua.responseRecorder().matching(r -> r.callId().equals(callId));
    }

    /** The responses to the initial INVITE so far, in arrival order. */
    public List<ReceivedResponse> inviteResponses() {
        return ua.responseRecorder().matching(this::answersInvite);
    }

    /** Every request the far end sent in this call (BYE, INFO, re-INVITE, …), in arrival order. */
    public List<ReceivedRequest> requests() {
        return ua.requestRecorder().matching(r -> r.callId().equals(callId));
    }

    /** Waits for the first response to the initial INVITE with {@code status} (say 180). */
    public ReceivedResponse awaitStatus(int status, Duration timeout) {
        return ua.responseRecorder().awaitFirst(r -> answersInvite(r) && r.status() == status, timeout,
                status + " to INVITE " + callId);
    }

    /** Waits for the final response to the initial INVITE (a 2xx has been ACKed when this returns). */
    public ReceivedResponse awaitFinal(Duration timeout) {
        return ua.awaitFinal(callId, Request.INVITE, inviteCseq, timeout);
    }

    /**
     * Sends a CANCEL for the INVITE (RFC 3261 section 9.1). The 200 to the CANCEL and the 487 to
     * the INVITE arrive as responses; the transaction layer ACKs the 487.
     */
    public void cancel() {
        try {
            ClientTransaction cancel = ua.provider().getNewClientTransaction(invite.createCancel());
            cancel.sendRequest();
        } catch (Exception e) {
            throw new AssertionError(ua.name() + " could not CANCEL " + callId, e);
        }
    }

    /** Hangs up the answered call (BYE) and returns the final response to the BYE. */
    public ReceivedResponse bye(Duration timeout) {
        return request(Request.BYE, null, null, timeout);
    }

    /** Waits for the far end to hang up; the BYE has been answered 200 when this returns. */
    public ReceivedRequest awaitBye(Duration timeout) {
        return ua.requestRecorder().awaitFirst(r -> r.method().equals(Request.BYE) && r.callId().equals(callId),
                timeout, "BYE in " + callId);
    }

    /** Sends INFO with a body of {@code mediaType} in the call and returns the final response. */
    public ReceivedResponse sendInfo(String mediaType, String body, Duration timeout) {
        return request(Request.INFO, mediaType, body, timeout);
    }

    /**
     * Sends a re-INVITE offering {@code sdp} (see {@link Sdp#audio}) and returns the final response;
     * a 2xx has been ACKed when this returns.
     */
    public ReceivedResponse reinvite(String sdp, Duration timeout) {
        return request(Request.INVITE, "application/sdp", sdp, timeout);
    }

    /**
     * Sends {@code method} (UPDATE, INFO, …) inside the answered call, with a body of
     * {@code mediaType} unless {@code body} is null, and returns the final response (a 2xx to a
     * re-INVITE has been ACKed when this returns).
     */
    public ReceivedResponse request(String method, String mediaType, String body, Duration timeout) {
        return ua.requestInDialog(callId, method, mediaType, body, timeout);
    }

    /**
     * Sends the initial INVITE again, byte for byte (same branch, Call-ID and CSeq) from the same
     * port, as a UDP retransmission would be (RFC 3261 section 17.1.1.2). The server transaction
     * it reaches must absorb it.
     */
    public void retransmitInvite() {
        try {
            ua.provider().sendRequest((Request) invite.getRequest().clone());
        } catch (Exception e) {
            throw new AssertionError(ua.name() + " could not retransmit the INVITE of " + callId, e);
        }
    }


    private boolean answersInvite(ReceivedResponse response) {
        return response.cseq() == inviteCseq && response.method().equals(Request.INVITE)
                && response.callId().equals(callId);
    }

    @Override
    public String toString() {
        return "call " + callerNumber + " -> " + dialedNumber + " (Call-ID " + callId + ")";
    }
}
