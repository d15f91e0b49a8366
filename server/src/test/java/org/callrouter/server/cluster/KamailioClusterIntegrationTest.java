package org.callrouter.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.callrouter.server.Await;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.TestConfig;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.ReceivedResponse;
import org.callrouter.server.sipua.SipUa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code config/cluster/kamailio.cfg} in front of two routers, each a JVM of its own (so
 * {@code kill -9} is real), each with a handler of its own, so the handler that answers a call
 * names the router that took it. The carrier only ever sends to Kamailio.
 */
class KamailioClusterIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NUMBER = "+18005550100";
    private static final int FROM = 64500;
    private static final int TO = 64999;
    /** The load offered while a router is killed: 40 calls at 10 calls/s, the kill after the 10th. */
    private static final int LOAD_CALLS = 40;
    private static final int KILL_AFTER = 10;
    private static final long LOAD_GAP_MS = 100;

    @TempDir
    Path dir;

    private Node first;
    private Node second;
    private Carrier carrier;
    private KamailioProcess kamailio;
    private String kamailioHostPort;

    /** A router, its ports and the handler only it sends calls to. */
    private final class Node implements AutoCloseable {
        final String name;
        final int sipPort = Ports.free(FROM, TO);
        final int adminPort = Ports.free(FROM, TO);
        final Handler handler;
        final Path config;
        RouterProcess router;

        Node(String name) {
            this.name = name;
            this.handler = Handler.open("handler-" + name, Ports.free(FROM, TO), SipUa.Transport.UDP);
            this.config = config();
        }

        /**
         * The router's answer when its handler failed is 503 (not the default 480), so Kamailio
         * fails the call over to the other router: the 5xx path of the failure route.
         */
        private Path config() {
            final Path nodeDir = dir.resolve(name);
            TestConfig.load(nodeDir, """
                    server:
                      data_dir: %s
                      sip:
                        listen: ["udp:127.0.0.1:%d"]
                        t1_ms: 100
                        no_handler_status: 503
                      health: { enabled: false }
                      store: { enabled: false }
                      drain_timeout_seconds: 2
                      admin: { listen: "127.0.0.1:%d" }
                    sources: [ { id: web } ]
                    handlers:
                      - { id: only, uri: "%s" }
                    campaigns:
                      - id: sales
                        handlers: [only]
                    numbers:
                      - { number: "%s", campaign: sales, source: web }
                    """.formatted(nodeDir.resolve("data"), sipPort, adminPort, handler.uri(), NUMBER));
            return nodeDir.resolve("router.yaml");
        }

        void start(String logName) {
            router = RouterProcess.start(config, "http://127.0.0.1:" + adminPort, dir.resolve(logName));
        }

        String uri() {
            return "sip:127.0.0.1:" + sipPort;
        }

        /** The INVITE this node's handler got for the carrier's {@code call} (the caller's number is kept). */
        Optional<ReceivedRequest> inviteOf(CarrierCall call) {
            return handler.invites().stream().filter(r -> call.callerNumber().equals(r.fromUser())).findFirst();
        }

        /** The BYEs this node's handler got in the dialog of {@code invite}. */
        long byesIn(ReceivedRequest invite) {
            return handler.requests().stream()
                    .filter(r -> r.method().equals("BYE") && r.callId().equals(invite.callId())).count();
        }

        @Override
        public void close() {
            if (router != null) {
                router.close();
            }
            handler.close();
        }
    }

    @BeforeEach
    void cluster() {
        KamailioProcess.requireInstalled();
        first = new Node("first");
        second = new Node("second");
        carrier = Carrier.open(Ports.free(FROM, TO));
        // Side by side: each start is mostly the JVM's own start-up, waiting for a core.
        final CompletableFuture<Void> secondStarted = CompletableFuture.runAsync(() -> second.start("second.log"));
        try {
            first.start("first.log");
        } finally {
            secondStarted.join();
        }
        final int kamailioPort = Ports.free(FROM, TO);
        kamailioHostPort = "127.0.0.1:" + kamailioPort;
        kamailio = KamailioProcess.start(kamailioPort, List.of(first.uri(), second.uri()), dir);
        Await.until(WAIT, () -> kamailio.active(first.uri()) && kamailio.active(second.uri()),
                () -> "both routers answering Kamailio's probes; its log:\n" + kamailio.output());
    }

    /** Whatever {@link #cluster} got to start (nothing when Kamailio is not installed). */
    @AfterEach
    void stop() {
        if (kamailio != null) {
            kamailio.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void callsReachTheRoutersThroughKamailioAndSurviveTheKillOfOne() throws InterruptedException {
        callsCompleteOnBothRouters();
        aRouter5xxIsFailedOverToTheOther();
        final List<CarrierCall> lost = killingARouterMidLoadLosesNoNewCallAndNoCallOfTheSurvivor();
        aRestartedRouterEndsItsLostCallsAndIsTakenBackAfterAProbe(lost);
    }

    /** Round robin spreads the calls; the carrier's BYE follows the Record-Route to the router that owns the call. */
    private void callsCompleteOnBothRouters() {
        final List<CarrierCall> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            final CarrierCall call = carrier.call(kamailioHostPort, NUMBER);
            final ReceivedResponse answer = call.awaitFinal(WAIT);
            assertEquals(200, answer.status(), () -> call + "\n" + kamailio.output());
            // The carrier's route set: Kamailio, then the owning router's Contact as the target.
            assertTrue(String.valueOf(answer.header("Record-Route")).contains("sip:" + kamailioHostPort + ";"),
                    "Kamailio stays on the path of " + call + ": " + answer);
            assertEquals(200, call.bye(WAIT).status(), call::toString);
            calls.add(call);
        }
        assertTrue(first.handler.inviteCount() > 0 && second.handler.inviteCount() > 0,
                "both routers took calls: " + first.handler.inviteCount() + " and " + second.handler.inviteCount());
        for (CarrierCall call : calls) {
            final Node owner = ownerOf(call);
            Await.until(WAIT, () -> owner.byesIn(owner.inviteOf(call).orElseThrow()) == 1,
                    () -> "the BYE of " + call + " at " + owner.name + "'s handler: " + owner.handler.requests());
        }
    }

    /** The router whose handler got {@code call}; exactly one did. */
    private Node ownerOf(CarrierCall call) {
        final boolean atFirst = first.inviteOf(call).isPresent();
        final boolean atSecond = second.inviteOf(call).isPresent();
        assertTrue(atFirst != atSecond, call + " reached " + (atFirst ? "both handlers" : "no handler"));
        return atFirst ? first : second;
    }

    /**
     * The first router's handler refuses one call; that router answers 503 and Kamailio offers the
     * call to the second router, whose handler answers: the carrier sees 200.
     */
    private void aRouter5xxIsFailedOverToTheOther() {
        final int refusedBefore = first.handler.inviteCount();
        first.handler.script(Behaviour.busy());
        CarrierCall refused = null;
        for (int i = 0; i < 4 && refused == null; i++) {
            final CarrierCall call = carrier.call(kamailioHostPort, NUMBER);
            assertEquals(200, call.awaitFinal(WAIT).status(), () -> call + "\n" + kamailio.output());
            assertEquals(200, call.bye(WAIT).status(), call::toString);
            if (first.handler.inviteCount() > refusedBefore && first.inviteOf(call).isPresent()) {
                refused = call;
            }
        }
        assertTrue(refused != null, "round robin offered one of 4 calls to the first router");
        assertTrue(second.inviteOf(refused).isPresent(), refused + " was failed over to the second router");
    }

    /** Returns the calls the killed router had answered. */
    private List<CarrierCall> killingARouterMidLoadLosesNoNewCallAndNoCallOfTheSurvivor() throws InterruptedException {
        final List<CarrierCall> beforeKill = new ArrayList<>();
        final List<CarrierCall> afterKill = new ArrayList<>();
        for (int i = 0; i < LOAD_CALLS; i++) {
            if (i == KILL_AFTER) {
                first.router.kill();
            }
            (i < KILL_AFTER ? beforeKill : afterKill).add(carrier.call(kamailioHostPort, NUMBER));
            Thread.sleep(LOAD_GAP_MS);
        }
        // Every call placed after the kill is answered, by the survivor: offered to the dead
        // router, it gets no answer at all and Kamailio tries the next.
        for (CarrierCall call : afterKill) {
            assertEquals(200, call.awaitFinal(WAIT).status(), () -> call + "\n" + kamailio.output());
            assertTrue(second.inviteOf(call).isPresent() && first.inviteOf(call).isEmpty(),
                    call + " answered by the survivor's handler");
        }
        Await.until(WAIT, () -> kamailio.inactive(first.uri()),
                () -> "the killed router out of the dispatcher set; kamailio's log:\n" + kamailio.output());
        assertTrue(kamailio.output().contains("router " + first.uri() + " did not answer INVITE"),
                "a call offered to the dead router timed out and was failed over:\n" + kamailio.output());

        // The survivor's calls from before the kill are still up: no BYE from the router to either
        // side, and the carrier's BYE reaches the handler through Kamailio and the survivor.
        final List<CarrierCall> survivors = beforeKill.stream().filter(c -> second.inviteOf(c).isPresent()).toList();
        assertFalse(survivors.isEmpty(), "the survivor had calls before the kill");
        assertTrue(survivors.size() < beforeKill.size(), "the killed router had calls before the kill");
        final List<CarrierCall> live = new ArrayList<>(survivors);
        live.addAll(afterKill);
        for (CarrierCall call : live) {
            assertEquals(200, call.awaitFinal(WAIT).status(), call::toString);
            final ReceivedRequest invite = second.inviteOf(call).orElseThrow();
            assertTrue(call.requests().stream().noneMatch(r -> r.method().equals("BYE")) && second.byesIn(invite) == 0,
                    call + " untouched by the kill");
            assertEquals(200, call.bye(WAIT).status(), call::toString);
            Await.until(WAIT, () -> second.byesIn(invite) == 1, () -> "the BYE of " + call + " at the handler");
        }
        return beforeKill.stream().filter(c -> first.inviteOf(c).isPresent())
                .filter(c -> c.inviteResponses().stream().anyMatch(r -> r.status() == 200)).toList();
    }

    /**
     * The killed router, started again on its data directory, ends the calls it had answered
     * (crash recovery): its BYEs follow each call's route set through Kamailio to the carrier.
     * The dispatcher probes it until it answers, then offers it calls again.
     */
    private void aRestartedRouterEndsItsLostCallsAndIsTakenBackAfterAProbe(List<CarrierCall> lost) {
        assertFalse(lost.isEmpty(), "the killed router had answered calls before the kill");
        first.router.close();
        first.start("first-restarted.log");
        for (CarrierCall call : lost) {
            call.awaitBye(WAIT);
        }
        Await.until(WAIT, () -> kamailio.active(first.uri()),
                () -> "the restarted router back in the dispatcher set; kamailio's log:\n" + kamailio.output());
        final int before = first.handler.inviteCount();
        for (int i = 0; i < 4 && first.handler.inviteCount() == before; i++) {
            final CarrierCall call = carrier.call(kamailioHostPort, NUMBER);
            assertEquals(200, call.awaitFinal(WAIT).status(), () -> call + "\n" + kamailio.output());
            assertEquals(200, call.bye(WAIT).status(), call::toString);
        }
        assertTrue(first.handler.inviteCount() > before, "the restarted router takes calls again");
    }
}
