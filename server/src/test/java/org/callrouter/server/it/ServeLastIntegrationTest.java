package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.callrouter.routing.pool.SessionListener;
import org.callrouter.server.RouterServer;
import org.callrouter.server.TestConfig;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.RawUdpPeer;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router opened for a start that goes on after its SIP side (as {@code RouterService} opens the
 * records shipper, stores and admin API) has its socket bound but reads nothing: a request sent
 * then waits in the kernel's queue, unanswered and not dropped, and is answered once the router
 * serves, without being sent again.
 */
class ServeLastIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void aRequestSentBeforeServingWaitsInTheSocketAndIsAnsweredOnceItServes() throws Exception {
        final RouterServer server = RouterServer.open(TestConfig.oneNumber(dir), Clock.systemUTC(), CallEvents.NONE,
                MessageCounters.NONE, null, SessionListener.NONE,
                CompletableFuture.completedFuture(new RouterServer.WarmUp("off", null)));
        try (RawUdpPeer peer = RawUdpPeer.open(Ports.free(45000, 45999))) {
            final InetSocketAddress router = server.sockets().get(0).address();
            assertTrue(router.getPort() > 0, "bound to a real port before serving: " + router);
            final String callId = "before-serving@127.0.0.1";
            peer.send(router, "OPTIONS sip:router@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bKbeforeserving\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=b1\r\n"
                    + "To: <sip:router@127.0.0.1>\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n");
            assertEquals(Optional.empty(), peer.receive(Duration.ofMillis(500)).map(RawUdpPeer.Datagram::text),
                    "nothing is read before serve()");

            server.serve();

            final Optional<RawUdpPeer.Datagram> answer = peer.receive(Duration.ofSeconds(5));
            assertTrue(answer.isPresent(), "the queued OPTIONS was answered once the router served");
            assertTrue(answer.get().text().startsWith("SIP/2.0 200 ") && answer.get().text().contains(callId),
                    answer.get().text());
        } finally {
            server.close();
        }
    }
}
