package org.callrouter.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
import org.callrouter.server.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, part 3: {@code kill -9} of one of three routers behind Kamailio
 * ({@code config/cluster/kamailio.cfg}) mid-load, while the three share one handler's caps in one
 * real Redis. Each router is a JVM of its own, so the kill is real: no shutdown hook releases its
 * slots. New calls keep succeeding on the other two, the dead router's slots stop counting within
 * {@code lease_ms} (read in Redis's live set, and shown by a full concurrency of calls up at once
 * after the bound), and the handler peer counts exactly its hourly cap of calls, never more than
 * its concurrency at once.
 */
class KamailioSharedCapsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NUMBER = "+18005550100";
    private static final String HANDLER = "buyer";
    private static final int FROM = 63500;
    private static final int TO = 63999;
    private static final int CONCURRENCY = 6;
    private static final int HOURLY = 40;
    /** Short, so the test sees the bound; the renewals run every third of it. */
    private static final long LEASE_MS = 4000;
    /**
     * How long the handler keeps each call up before its BYE: under {@code 2/3 × LEASE_MS}, so the
     * dead router's calls have ended at the handler before their slots can come back (its last
     * renewal was at most {@code LEASE_MS / 3} before the kill). A call that outlives its router's
     * lease would be up at the handler beside the new call that took its slot.
     */
    private static final Duration HOLD = Duration.ofSeconds(1);
    /** 20 calls/s through Kamailio. */
    private static final long GAP_MS = 50;
    /** The kill comes once the handler has had this many calls. */
    private static final int CALLS_BEFORE_KILL = 10;
    /** Calls offered right after the kill, while the dead router's slots still count. */
    private static final int CALLS_AFTER_KILL = 30;
    /** Calls offered once the handler has had its hourly cap: each must be refused. */
    private static final int CALLS_PAST_CAP = 10;
    /** The most calls the test offers in all. */
    private static final int MAX_CALLS = 400;
    private static final Pattern HOST_PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private RedisServer redis;
    private Handler handler;
    private Carrier carrier;
    private final List<Node> nodes = new ArrayList<>();
    private KamailioProcess kamailio;
    private String kamailioHostPort;
    /**
     * The handler's time zone, whose hours are its cap's windows: one whose hour has at least 30
     * minutes left (UTC, or India's, half an hour off it), so the window cannot roll over under
     * the test and let a second cap of calls through.
     */
    private final String zone = LocalTime.now(ZoneOffset.UTC).getMinute() < 30 ? "UTC" : "Asia/Kolkata";
    private final List<CarrierCall> offered = new ArrayList<>();

    /** A router process, its ports and its name in the cluster. */
    private final class Node implements AutoCloseable {
        final String id;
        final int sipPort = Ports.free(FROM, TO);
        final int adminPort = Ports.free(FROM, TO);
        final Path config;
        RouterProcess router;

        Node(String id) {
            this.id = id;
            this.config = config();
        }

        private Path config() {
            final Path nodeDir = dir.resolve(id);
            TestConfig.load(nodeDir, """
                    server:
                      data_dir: %s
                      sip:
                        listen: ["udp:127.0.0.1:%d"]
                        t1_ms: 100
                      health: { enabled: false }
                      store: { enabled: false }
                      drain_timeout_seconds: 2
                      admin: { listen: "127.0.0.1:%d" }
                    cluster: { redis: "%s", node_id: %s, nodes: 3, lease_ms: %d, timeout_ms: 1000 }
                    sources: [ { id: web } ]
                    handlers:
                      - id: %s
                        uri: "%s"
                        time_zone: %s
                        caps: { concurrency: %d, hourly: %d }
                    campaigns:
                      - { id: sales, handlers: [%s] }
                    numbers:
                      - { number: "%s", campaign: sales, source: web }
                    """.formatted(nodeDir.resolve("data"), sipPort, adminPort, redis.uri(), id, LEASE_MS,
                    HANDLER, handler.uri(), zone, CONCURRENCY, HOURLY, HANDLER, NUMBER));
            return nodeDir.resolve("router.yaml");
        }

        void start() {
            router = RouterProcess.start(config, adminBase(), dir.resolve(id + ".log"));
        }

        String adminBase() {
            return "http://127.0.0.1:" + adminPort;
        }

        String uri() {
            return "sip:127.0.0.1:" + sipPort;
        }

        /** Whether its Redis connection is up, as its {@code cluster_redis_connected} gauge says. */
        boolean connected() {
            try {
                final HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(adminBase() + "/metrics")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return Pattern.compile("(?m)^cluster_redis_connected(\\{[^}]*})? 1(\\.0)?$").matcher(metrics.body()).find();
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void close() {
            if (router != null) {
                router.close();
            }
        }
    }

    @BeforeEach
    void cluster() {
        KamailioProcess.requireInstalled();
        redis = RedisServer.start(62200, 62299);
        handler = Handler.open(HANDLER, Ports.free(FROM, TO), SipUa.Transport.UDP)
                .behaviour(Behaviour.answerThenHangUp(HOLD));
        carrier = Carrier.open(Ports.free(FROM, TO));
        for (int i = 1; i <= 3; i++) {
            nodes.add(new Node("node-" + i));
        }
        // Side by side: each start is mostly the JVM's own start-up, waiting for a core.
        CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(n::start))
                .toArray(CompletableFuture[]::new)).join();
        for (Node node : nodes) {
            Await.until(WAIT, node::connected, () -> node.id + " connected to Redis; its log:\n" + node.router.output());
        }
        final int kamailioPort = Ports.free(FROM, TO);
        kamailioHostPort = "127.0.0.1:" + kamailioPort;
        kamailio = KamailioProcess.start(kamailioPort, nodes.stream().map(Node::uri).toList(), dir);
        Await.until(WAIT, () -> nodes.stream().allMatch(n -> kamailio.active(n.uri())),
                () -> "all routers answering Kamailio's probes; its log:\n" + kamailio.output());
    }

    /** Whatever {@link #cluster} got to start (nothing when Kamailio or Redis is not installed). */
    @AfterEach
    void stop() {
        if (kamailio != null) {
            kamailio.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        nodes.forEach(Node::close);
        if (handler != null) {
            handler.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRouterKilledMidLoadFreesItsSlotsWithinTheLeaseAndTheCapsStayExact() throws InterruptedException {
        // Load until the handler has had its first calls; some are up on each router.
        while (handler.inviteCount() < CALLS_BEFORE_KILL) {
            offer();
        }
        // The kill comes between two setups (the load pauses for it while calls are up): a call
        // the router had counted but not yet offered to the handler would be counted without
        // reaching it (the cap errs on the safe side), and one whose answer it had not yet
        // acknowledged would stay up at the handler past the lease. Neither is what this measures.
        final List<CarrierCall> beforeKill = List.copyOf(offered);
        for (CarrierCall call : beforeKill) {
            call.awaitFinal(WAIT);
        }
        Await.until(WAIT, () -> callIds(handler.requests(), "ACK").containsAll(callIds(handler.invites(), "INVITE")),
                () -> "an ACK at the handler for every answer: " + handler.requests());
        final Node victim = nodes.stream().max(Comparator.comparingInt(n -> slotsOf(n).size())).orElseThrow();
        victim.router.kill();
        final long killedAtMs = redisTimeMs();
        final List<ScoredValue<String>> deadSlots = slotsOf(victim);
        assertFalse(deadSlots.isEmpty(), victim.id + " held slots when it was killed: " + liveSlots());
        final long freedAtMs = deadSlots.stream().mapToLong(s -> (long) s.getScore()).max().orElseThrow();
        assertTrue(freedAtMs <= killedAtMs + LEASE_MS, "the dead router's leases end within lease_ms of its death: "
                + deadSlots + ", killed at " + killedAtMs + " (Redis time)");
        final List<Node> survivors = nodes.stream().filter(n -> n != victim).toList();

        // New calls keep succeeding on the other two (Kamailio fails over the ones it still
        // offers to the dead router); while its slots count, the others may refuse some (480).
        final List<CarrierCall> afterKill = new ArrayList<>();
        for (int i = 0; i < CALLS_AFTER_KILL; i++) {
            afterKill.add(offer());
        }
        final List<CarrierCall> answeredAfterKill = new ArrayList<>();
        for (CarrierCall call : afterKill) {
            if (answeredOrCapped(call)) {
                answeredAfterKill.add(call);
                assertTrue(survivors.stream().anyMatch(n -> n.sipPort == routerPort(call)),
                        call + " answered by a surviving router");
            }
        }
        assertFalse(answeredAfterKill.isEmpty(), "calls succeed after the kill; kamailio's log:\n" + kamailio.output());

        // Past the bound: the survivors' calls over and the dead router's leases run out, the
        // handler's full concurrency is free again: that many calls are up at once.
        for (CarrierCall call : answeredAfterKill) {
            call.awaitBye(WAIT);
        }
        for (CarrierCall call : beforeKill) {
            if (call.awaitFinal(WAIT).status() == 200 && routerPort(call) != victim.sipPort) {
                call.awaitBye(WAIT);
            }
        }
        Await.until(WAIT, () -> liveSlots().stream().allMatch(s -> s.getValue().startsWith(victim.id + ":")),
                () -> "only the dead router's slots left: " + liveSlots());
        Await.until(WAIT, () -> redisTimeMs() > freedAtMs, () -> "Redis's clock past " + freedAtMs);
        Await.until(WAIT, () -> kamailio.inactive(victim.uri()),
                () -> "the dead router out of the dispatcher set; kamailio's log:\n" + kamailio.output());
        assertTrue(handler.inviteCount() + CONCURRENCY <= HOURLY,
                "the hourly cap leaves room for the full concurrency: " + handler.inviteCount() + " calls so far");
        final List<Behaviour> stayUp = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            stayUp.add(Behaviour.answer());
        }
        handler.script(stayUp.toArray(Behaviour[]::new));
        final List<CarrierCall> full = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            full.add(offer());
        }
        for (CarrierCall call : full) {
            assertEquals(200, call.awaitFinal(WAIT).status(), () -> "all " + CONCURRENCY
                    + " slots free after the lease: " + call + "\nlive slots: " + liveSlots());
        }
        assertTrue(slotsOf(victim).isEmpty(), "the dead router's expired slots are gone: " + liveSlots());
        for (CarrierCall call : full) {
            assertEquals(200, call.bye(WAIT).status(), call::toString);
        }

        // The rest of the hourly cap, then refusals only.
        while (handler.inviteCount() < HOURLY) {
            offer();
        }
        for (int i = 0; i < CALLS_PAST_CAP; i++) {
            offer();
        }
        int answered = 0;
        for (CarrierCall call : offered) {
            if (answeredOrCapped(call)) {
                answered++;
            }
        }
        assertEquals(HOURLY, handler.inviteCount(), "exactly the hourly cap reached the handler, across three routers"
                + " and a kill");
        assertEquals(HOURLY, answered, "every call that reached the handler was answered");
        assertTrue(handler.peakLiveCalls() <= CONCURRENCY,
                "at most " + CONCURRENCY + " at once at the handler, saw " + handler.peakLiveCalls());
    }

    /** Offers one call to Kamailio, then waits out the gap of the offered rate. */
    private CarrierCall offer() throws InterruptedException {
        assertTrue(offered.size() < MAX_CALLS, "the test offers at most " + MAX_CALLS + " calls; the handler had "
                + handler.inviteCount());
        final CarrierCall call = carrier.call(kamailioHostPort, NUMBER);
        offered.add(call);
        Thread.sleep(GAP_MS);
        return call;
    }

    /** Whether {@code call} was answered (200); otherwise it was refused for the caps (480, relayed by Kamailio). */
    private boolean answeredOrCapped(CarrierCall call) {
        final ReceivedResponse last = call.awaitFinal(WAIT);
        if (last.status() == 200) {
            return true;
        }
        assertEquals(480, last.status(), () -> call + " answered or refused for the caps\n" + kamailio.output());
        return false;
    }

    /** The SIP port of the router that answered {@code call}: its 200's Contact. */
    private static int routerPort(CarrierCall call) {
        final ReceivedResponse answer = call.inviteResponses().stream().filter(r -> r.status() == 200).findFirst()
                .orElseThrow(() -> new AssertionError(call + " was not answered"));
        final Matcher contact = HOST_PORT.matcher(String.valueOf(answer.header("Contact")));
        assertTrue(contact.find(), "a router's address in the Contact of " + answer);
        return Integer.parseInt(contact.group(1));
    }

    private static Set<String> callIds(List<ReceivedRequest> requests, String method) {
        return requests.stream().filter(r -> r.method().equals(method)).map(ReceivedRequest::callId)
                .collect(Collectors.toSet());
    }

    private RedisCommands<String, String> redisCommands() {
        return redis.commands();
    }

    /** The handler's live slots in Redis, scored by lease expiry (Redis time, ms), expired ones included. */
    private List<ScoredValue<String>> liveSlots() {
        return redisCommands().zrangeWithScores(CapKeys.live(HANDLER), 0, -1);
    }

    /** The live slots of {@code node}: their ids start with its node id. */
    private List<ScoredValue<String>> slotsOf(Node node) {
        return liveSlots().stream().filter(s -> s.getValue().startsWith(node.id + ":")).toList();
    }

    /** Redis's clock, the one leases are scored in. */
    private long redisTimeMs() {
        final List<String> time = redisCommands().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
