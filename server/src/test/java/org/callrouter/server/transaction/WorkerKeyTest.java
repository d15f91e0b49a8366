package org.callrouter.server.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipMessage;
import org.junit.jupiter.api.Test;

/** Every message of a call, on both legs and in every transaction, maps to the worker that owns it. */
class WorkerKeyTest {

    private static final String ROUTER_VIA = "SIP/2.0/UDP 127.0.0.1:5060;rport;branch=";

    @Test
    void everyMessageOfACarriersCallMapsToOneWorker() {
        final int[] seen = new int[3];
        for (int i = 0; i < 600; i++) {
            final String callId = "carrier-" + i + "-" + Long.toHexString(i * 0x9E3779B97F4A7C15L) + "@10.0.0.1";
            final String tag = "ftag" + i;
            final List<SipMessage> messages = List.of(
                    request("INVITE", callId, tag, null, "z9hG4bKc" + i, 1),
                    request("INVITE", callId, tag, null, "z9hG4bKc" + i, 1), // a retransmission
                    request("CANCEL", callId, tag, null, "z9hG4bKc" + i, 1),
                    request("ACK", callId, tag, "rtag", "z9hG4bKc" + i, 1),
                    request("ACK", callId, tag, "rtag", "z9hG4bKa" + i, 1),
                    request("INFO", callId, tag, "rtag", "z9hG4bKi" + i, 2),
                    request("UPDATE", callId, tag, "rtag", "z9hG4bKu" + i, 3),
                    request("INVITE", callId, tag, "rtag", "z9hG4bKr" + i, 4), // re-INVITE
                    request("PRACK", callId, tag, "rtag", "z9hG4bKp" + i, 5),
                    request("BYE", callId, tag, "rtag", "z9hG4bKb" + i, 6));
            final int owner = WorkerKey.of(messages.get(0), 3);
            seen[owner]++;
            for (SipMessage m : messages) {
                assertEquals(owner, WorkerKey.of(m, 3), m.toString());
            }
            assertEquals(0, WorkerKey.of(messages.get(0), 1), "one worker owns everything");
        }
        for (int w = 0; w < 3; w++) {
            assertTrue(seen[w] > 100, "worker " + w + " owns a fair share of 600 calls: " + seen[w]);
        }
    }

    @Test
    void whatAWorkerMintsComesBackToIt() throws Exception {
        for (int worker = 0; worker < 4; worker++) {
            final Minted m = mintedOn(worker);
            final String bLeg = "b" + m.callIdPart + "@127.0.0.1";
            final String callback = m.callIdPart + "@127.0.0.1";
            final String carrierCallId = "not-ours-" + worker + "@10.0.0.1";
            final List<SipMessage> messages = List.of(
                    // The handler's answers to our INVITE, CANCEL, BYE; its own in-dialog requests.
                    response(100, "INVITE", bLeg, m.branch),
                    response(180, "INVITE", bLeg, m.branch),
                    response(200, "INVITE", bLeg, m.branch),
                    response(487, "INVITE", bLeg, m.branch),
                    response(200, "CANCEL", bLeg, m.branch),
                    response(200, "BYE", bLeg, m.branch),
                    request("BYE", bLeg, "htag", "ourtag", "z9hG4bKh1", 1),
                    request("INVITE", bLeg, "htag", "ourtag", "z9hG4bKh2", 2),
                    request("INFO", bLeg, "htag", "ourtag", "z9hG4bKh3", 3),
                    // A callback's customer leg: its answers and the customer's BYE.
                    response(200, "INVITE", callback, m.branch),
                    request("BYE", callback, "ctag", "ourtag", "z9hG4bKc1", 1),
                    // Our request in a carrier's dialog (a BYE, a session refresh): its answer
                    // comes back by our branch, whatever the carrier's Call-ID hashes to.
                    response(200, "BYE", carrierCallId, m.branch),
                    // An OPTIONS probe's answer (its Call-ID is not minted with a mark).
                    response(200, "OPTIONS", "p0123456789abcdef@127.0.0.1", m.branch));
            for (SipMessage message : messages) {
                assertEquals(worker, WorkerKey.of(message, 4), message.toString());
                assertEquals(worker % 3, WorkerKey.of(message, 3), "a mark beyond the workers wraps");
            }
        }
    }

    @Test
    void aThreadThatIsNoWorkerMintsIdentifiersAsAlways() {
        assertTrue(BranchIds.branch().matches("z9hG4bK[0-9a-f]{16}"), BranchIds.branch());
        assertTrue(BranchIds.callIdPart().matches("[0-9a-f]{16}"), BranchIds.callIdPart());
    }

    @Test
    void marksAreReadOnlyWhereTheyAreMinted() {
        assertEquals(2, WorkerKey.marked("w2.abc", 0, 4));
        assertEquals(2, WorkerKey.marked("bw2.abc", 1, 4));
        assertEquals(-1, WorkerKey.marked("w.abc", 0, 4));
        assertEquals(-1, WorkerKey.marked("w2abc", 0, 4));
        assertEquals(-1, WorkerKey.marked("w2", 0, 4));
        assertEquals(-1, WorkerKey.marked("x2.abc", 0, 4));
        assertEquals(-1, WorkerKey.marked("w99999999999999.a", 0, 4), "at most 10 digits are read");
        assertEquals(3, WorkerKey.marked("w9999999999.a", 0, 4), "9999999999 % 4");
    }

    private record Minted(String branch, String callIdPart) {
    }

    /** Identifiers minted on a thread marked as {@code worker}'s, as its loop mints them. */
    private static Minted mintedOn(int worker) throws Exception {
        final AtomicReference<Minted> out = new AtomicReference<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Thread thread = new Thread(() -> {
            BranchIds.markWorker(worker);
            out.set(new Minted(BranchIds.branch(), BranchIds.callIdPart()));
            done.complete(null);
        });
        thread.start();
        done.get();
        thread.join();
        return out.get();
    }

    private static SipMessage request(String method, String callId, String fromTag, String toTag, String branch,
                                      int cseq) {
        return parse(method + " sip:+18005550100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@10.0.0.1>;tag=" + fromTag + "\r\n"
                + "To: <sip:+18005550100@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    private static SipMessage response(int status, String method, String callId, String branch) {
        return parse("SIP/2.0 " + status + " Whatever\r\n"
                + "Via: " + ROUTER_VIA + branch + "\r\n"
                + "From: <sip:router@127.0.0.1>;tag=ourtag\r\n"
                + "To: <sip:handler@127.0.0.1>;tag=htag\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    private static SipMessage parse(String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return SipParser.parse(bytes, 0, bytes.length);
    }
}
