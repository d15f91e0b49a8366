package org.callrouter.loadtest.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.callrouter.loadtest.LoadRun;
import org.callrouter.loadtest.RunSettings;
import org.callrouter.loadtest.report.HandlerSummary;
import org.callrouter.loadtest.report.RunSummary;
import org.callrouter.loadtest.time.SipTimers;
import org.junit.jupiter.api.Test;

/**
 * A handler-only run answering hand-written datagrams: what a router's probes and broken messages
 * get. Port 47190 for the handler, 47191 for the test's socket.
 */
class HandlerPortWireTest {

    private static final int HANDLER = 47_190;

    private static String request(String method, String extra, String to) {
        return method + " sip:handler@127.0.0.1:" + HANDLER + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:47191;branch=z9hG4bK-test-" + method + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:router@127.0.0.1>;tag=r1\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: wire-test-" + method + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n";
    }

    private static String exchange(DatagramSocket socket, String message) throws Exception {
        byte[] out = message.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(out, out.length, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                HANDLER)));
        byte[] in = new byte[65_536];
        DatagramPacket p = new DatagramPacket(in, in.length);
        socket.receive(p);
        return new String(in, 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void probesAreAnsweredAndBrokenOrStrayRequestsGetTheRightFailure() throws Exception {
        RunSettings settings = new RunSettings(null, null, InetAddress.getLoopbackAddress(),
                List.of(HandlerBehaviour.answering(HANDLER)), SipTimers.DEFAULT, 1, 0, 0, true, false);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        LoadRun run = new LoadRun(settings, quiet, quiet, List.of("test"));
        CompletableFuture<RunSummary> summary = CompletableFuture.supplyAsync(run::run);
        run.started().get();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                47_191))) {
            // a guard against a hang, not a timing assertion
            socket.setSoTimeout(10_000);
            String options = exchange(socket, request("OPTIONS", "", "<sip:handler@127.0.0.1>"));
            String bye = exchange(socket, request("BYE", "", "<sip:handler@127.0.0.1>;tag=nobody"));
            String message = exchange(socket, request("MESSAGE", "", "<sip:handler@127.0.0.1>"));
            String broken = exchange(socket, request("INVITE", "Max-Forwards: 70\r\n", "<sip:handler@127.0.0.1>"));

            assertTrue(options.startsWith("SIP/2.0 200 OK\r\n"), options);
            assertTrue(options.contains("\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE\r\n"), options);
            assertTrue(bye.startsWith("SIP/2.0 481 "), bye);
            assertTrue(message.startsWith("SIP/2.0 405 "), message);
            assertTrue(message.contains("\r\nAllow: "), message);
            assertTrue(broken.startsWith("SIP/2.0 400 "), broken);
            assertTrue(broken.contains("Call-ID: wire-test-INVITE"), broken);
        } finally {
            run.interrupt();
        }
        HandlerSummary h = summary.get().handlers().get(0);
        assertEquals(1, h.options());
        assertEquals(0, h.invites());
        assertEquals(Map.of("BYE for no dialog", 1L, "MESSAGE outside a dialog", 1L, "unparseable (400)", 1L),
                h.unexpected());
    }
}
