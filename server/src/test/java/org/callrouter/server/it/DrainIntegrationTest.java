package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.callrouter.server.Await;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Draining: new calls refused with 503, live calls allowed to finish, then a clean exit. */
class DrainIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;


    @Test
    void drainingRefusesNewCallsAndLetsLiveOnesFinish() {
        try (Handler handler = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), Routing.oneHandler(handler.uri()))) {
            handler.behaviour(Behaviour.answer());
            final CarrierCall live = carrier.call(router.hostPort(), "18005550100");
            assertEquals(200, live.awaitFinal(WAIT).status());

            router.server().workers().drain();
            final ReceivedResponse refused = carrier.call(router.hostPort(), "18005550100").awaitFinal(WAIT);
            assertEquals(503, refused.status());
            assertTrue(refused.header("Retry-After") != null);

            assertEquals(200, live.bye(WAIT).status());
            handler.awaitRequest("BYE", WAIT);
            assertEquals(0, router.server().workers().b2buaStats().activeCalls);
        }
    }

    @Test
    void callsLeftAfterTheDrainTimeoutAreHungUpOnBothSides() throws Exception {
        try (Handler handler = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), Routing.oneHandler(handler.uri()))) {
            handler.behaviour(Behaviour.answer());
            final CarrierCall live = carrier.call(router.hostPort(), "18005550100");
            assertEquals(200, live.awaitFinal(WAIT).status());
            final CompletableFuture<Void> stopping = CompletableFuture.runAsync(
                    () -> router.server().drainAndClose(300));
            live.awaitBye(WAIT);
            handler.awaitRequest("BYE", WAIT);
            stopping.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermDrainsThenExitsZero() throws Exception {
        final int port = Ports.freeBlock(45000, 45999, 1);
        final int adminPort = Ports.free(45000, 45999);
        try (Handler handler = Handler.open(Ports.free(45000, 45999));
             Carrier carrier = Carrier.open(Ports.free(45000, 45999))) {
            handler.behaviour(Behaviour.answer());
            final Path config = dir.resolve("router.yaml");
            Files.writeString(config, """
                    server:
                      data_dir: %s
                      sip:
                        listen: ["udp:127.0.0.1:%d"]
                      health: { enabled: false }
                      admin: { listen: "127.0.0.1:%d" }
                      drain_timeout_seconds: 20
                    %s
                    """.formatted(dir.resolve("data"), port, adminPort, Routing.oneHandler(handler.uri())));
            try (RouterProcess router = RouterProcess.start(config, "http://127.0.0.1:" + adminPort,
                    dir.resolve("router.log"))) {
                final CarrierCall live = carrier.call("127.0.0.1:" + port, Routing.DIALED);
                assertEquals(200, live.awaitFinal(WAIT).status());

                router.sigterm();
                Await.until(WAIT, () -> router.output().contains("stopping"), router::output);
                assertEquals(503, carrier.call("127.0.0.1:" + port, Routing.DIALED).awaitFinal(WAIT).status());
                assertEquals(200, live.bye(WAIT).status());
                assertEquals(0, router.waitFor(), router.output());
                assertTrue(router.output().contains("router stopped"), router.output());
            }
        }
    }
}
