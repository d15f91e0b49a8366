package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

            router.server().b2bua().drain();
            final ReceivedResponse refused = carrier.call(router.hostPort(), "18005550100").awaitFinal(WAIT);
            assertEquals(503, refused.status());
            assertTrue(refused.header("Retry-After") != null);

            assertEquals(200, live.bye(WAIT).status());
            handler.awaitRequest("BYE", WAIT);
            assertEquals(0, router.server().b2bua().stats().activeCalls);
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
                      admin: { listen: "127.0.0.1:0" }
                      drain_timeout_seconds: 20
                    %s
                    """.formatted(dir.resolve("data"), port, Routing.oneHandler(handler.uri())));
            final Process router = RouterProcess.start(config);
            final List<String> log = new ArrayList<>();
            final CountDownLatch listening = new CountDownLatch(1);
            final Thread reader = new Thread(() -> readLog(router, log, listening), "router-log");
            reader.start();
            try {
                assertTrue(listening.await(30, TimeUnit.SECONDS), "router started: " + log);
                final CarrierCall live = carrier.call("127.0.0.1:" + port, "18005550100");
                assertEquals(200, live.awaitFinal(WAIT).status());

                router.toHandle().destroy(); // SIGTERM, leaving our end of its output open
                awaitLogLine(log, "stopping");
                assertEquals(503, carrier.call("127.0.0.1:" + port, "18005550100").awaitFinal(WAIT).status());
                assertEquals(200, live.bye(WAIT).status());
                assertTrue(router.waitFor(15, TimeUnit.SECONDS), "the router exits once its last call ended");
                assertEquals(0, router.exitValue(), String.join("\n", log));
            } finally {
                router.destroyForcibly();
                reader.join(5_000);
            }
            assertTrue(String.join("\n", log).contains("router stopped"), String.join("\n", log));
        }
    }

    private static void readLog(Process process, List<String> log, CountDownLatch listening) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (log) {
                    log.add(line);
                    log.notifyAll();
                }
                if (line.contains("router listening")) {
                    listening.countDown();
                }
            }
        } catch (IOException e) {
            synchronized (log) {
                log.add("log read failed: " + e);
            }
        }
    }

    private static void awaitLogLine(List<String> log, String text) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (log) {
            while (log.stream().noneMatch(l -> l.contains(text))) {
                final long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    throw new AssertionError("no log line with '" + text + "': " + log);
                }
                log.wait(leftMs);
            }
        }
    }
}
