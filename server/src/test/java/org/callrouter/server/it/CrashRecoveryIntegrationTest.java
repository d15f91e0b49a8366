package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.ErrorHandler;
import org.callrouter.server.Await;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.TestConfig;
import org.callrouter.server.recovery.LiveCallStore;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls live at a {@code kill -9} (issue 14, item 14): a router process with answered calls up
 * is killed, then started again on the same data directory and ports. Every call the carrier
 * saw answered has exactly one record in the journal (the live ones {@code interrupted}), and
 * both the carrier and the handler get a BYE for each interrupted call.
 */
class CrashRecoveryIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NUMBER = "+18005550100";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Calls up at the kill, and calls completed before it. */
    private static final int LIVE = 120;
    private static final int COMPLETED = 20;
    private static final int CAPACITY = 1000;

    @TempDir
    Path dir;

    private final int sipPort = Ports.free(45800, 45899);
    private final int adminPort = Ports.free(45800, 45899);
    private Handler handler;
    private Carrier carrier;

    @BeforeEach
    void peers() {
        handler = Handler.open(Ports.free(45800, 45899));
        handler.behaviour(Behaviour.answer());
        carrier = Carrier.open(Ports.free(45800, 45899));
    }

    @AfterEach
    void close() {
        carrier.close();
        handler.close();
    }

    private Path config() {
        TestConfig.load(dir, """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                    overload: { max_active_calls: %d, max_pending_invites: 500 }
                  health: { enabled: false }
                  drain_timeout_seconds: 1
                  admin: { listen: "127.0.0.1:%d" }
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "%s" }
                campaigns:
                  - id: sales
                    handlers: [first]
                    conversion:
                      source: { type: attempt, payout: 1.50 }
                      handler: { type: timer, seconds: 1, revenue: 10.00 }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(dir.resolve("data"), sipPort, CAPACITY, adminPort, handler.uri(), NUMBER));
        return dir.resolve("router.yaml");
    }

    @Test
    void callsLiveAtAKillAreRecordedOnceAndHungUpOnBothSidesAfterTheRestart() {
        final Path config = config();
        final String target = "127.0.0.1:" + sipPort;
        final Set<String> completedCallers = new HashSet<>();
        final Map<String, CarrierCall> live = new HashMap<>();
        try (RouterProcess router = RouterProcess.start(config, "http://127.0.0.1:" + adminPort, dir.resolve("first.log"));
             LiveCallStore store = LiveCallStore.attach(dir.resolve("data"), CAPACITY, failOnError())) {
            for (int i = 0; i < COMPLETED; i++) {
                final CarrierCall call = carrier.call(target, NUMBER);
                assertEquals(200, call.awaitFinal(WAIT).status());
                assertEquals(200, call.bye(WAIT).status());
                completedCallers.add(call.callerNumber());
            }
            final List<CarrierCall> placed = new ArrayList<>();
            for (int i = 0; i < LIVE; i++) {
                placed.add(carrier.call(target, NUMBER));
            }
            for (CarrierCall call : placed) {
                assertEquals(200, call.awaitFinal(WAIT).status(), call::toString);
                live.put(call.callerNumber(), call);
            }
            final long answeredBy = System.currentTimeMillis();
            // The router keeps the live calls (and only those: the completed ones left once
            // journaled), and a heartbeat more than a second after the last answer gives every
            // call a talk time past the timer conversion's 1 s.
            Await.until(WAIT, () -> store.size() == LIVE && store.lastHeartbeat() > answeredBy + 1000,
                    () -> store.size() + " calls stored, last heartbeat " + store.lastHeartbeat()
                            + ", last answer " + answeredBy);
            router.kill();
        }
        assertEquals(COMPLETED, journal().size(), "only the completed calls were journaled before the kill");
        assertTrue(handler.requests().stream().filter(r -> r.method().equals("BYE")).count() == COMPLETED,
                "no BYE for the live calls before the restart");

        try (RouterProcess router = RouterProcess.start(config, "http://127.0.0.1:" + adminPort, dir.resolve("second.log"))) {
            for (CarrierCall call : live.values()) {
                final ReceivedRequest bye = call.awaitBye(WAIT);
                assertTrue(bye.header("Reason") != null && bye.header("Reason").contains("interrupted"), bye::toString);
            }
            final List<ReceivedRequest> handlerByes = handler.awaitRequests("BYE", COMPLETED + LIVE, WAIT);
            final Set<String> byeDialogs = new HashSet<>();
            handlerByes.forEach(r -> byeDialogs.add(r.callId()));
            final Set<String> answeredDialogs = new HashSet<>();
            handler.invites().forEach(r -> answeredDialogs.add(r.callId()));
            assertEquals(answeredDialogs, byeDialogs, "every handler dialog got its BYE, none is left holding a call");
            Await.until(WAIT, () -> journal().size() == COMPLETED + LIVE, () -> journal().size() + " lines\n"
                    + router.output());
            Await.until(WAIT, () -> router.output().contains("crash recovery done"), router::output);
            assertTrue(router.output().contains("crash recovery done: " + LIVE + " calls recorded as interrupted; BYE"
                    + " answered on " + 2 * LIVE + " legs, unanswered on 0"), router::output);
            assertEquals(0, router.terminate(), router.output());
        }
        // Every call's record is written: nothing is left for a next start to recover.
        try (LiveCallStore store = LiveCallStore.open(dir.resolve("data"), CAPACITY, failOnError())) {
            assertEquals(0, store.size(), "the store is empty after the recovery and a clean stop");
        }

        final List<JsonNode> lines = journal();
        assertEquals(COMPLETED + LIVE, lines.size());
        final Set<String> ids = new HashSet<>();
        final Set<String> interruptedCallers = new HashSet<>();
        final Set<String> completed = new HashSet<>();
        for (JsonNode line : lines) {
            assertTrue(ids.add(line.path("id").asText()), () -> "one line per call: " + line);
            final String caller = line.path("caller").asText();
            if (line.path("status").asText().equals("interrupted")) {
                interruptedCallers.add(caller);
                assertEquals("first", line.path("handler").asText(), line::toString);
                assertEquals("sales", line.path("campaign").asText(), line::toString);
                assertFalse(line.path("answered_at").isNull(), line::toString);
                assertTrue(line.path("talk_seconds").asDouble() >= 1.0, line::toString);
                assertEquals("converted", line.path("conversion").path("handler").path("status").asText(),
                        line::toString);
                assertEquals("converted", line.path("conversion").path("source").path("status").asText(),
                        line::toString);
                assertEquals("answered", line.path("attempts").path(0).path("result").asText(), line::toString);
                assertFalse(line.path("incomplete").asBoolean(), line::toString);
            } else {
                assertEquals("completed", line.path("status").asText(), line::toString);
                completed.add(caller);
            }
        }
        assertEquals(live.keySet(), interruptedCallers, "every call live at the kill, recorded as interrupted");
        assertEquals(completedCallers, completed);
        assertEquals(List.of(), handler.errors());
    }

    private static ErrorHandler failOnError() {
        return e -> {
            throw new AssertionError(e);
        };
    }

    private List<JsonNode> journal() {
        final List<JsonNode> out = new ArrayList<>();
        final Path journal = dir.resolve("data").resolve("journal");
        if (!Files.isDirectory(journal)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journal, "calls-*")) {
            for (Path file : files) {
                for (String line : Files.readAllLines(file)) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
