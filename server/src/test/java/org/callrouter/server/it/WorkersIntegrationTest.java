package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.server.Await;
import org.callrouter.server.RouterServer;
import org.callrouter.server.TestConfig;
import org.callrouter.server.metrics.RouterMetrics;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.transaction.MessageCounters;
import org.callrouter.server.workers.SipWorker;
import org.callrouter.server.workers.SipWorkers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two SIP workers ({@code server.sip.workers: 2}) behind one socket: concurrent calls from one
 * carrier address spread over both, every message of each call reaches the worker that owns it
 * (both legs, hang-ups from either side), and a handler's concurrency and hourly caps stay exact
 * while both loops reserve them at once.
 */
class WorkersIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CALLS = 40;
    private static final int CONCURRENCY = 3;
    /** Less than two rounds' worth of the concurrency: the second round finds it nearly spent. */
    private static final int HOURLY = 5;
    private static final String NUMBER = "18005550100";

    @TempDir
    Path dir;

    @Test
    void concurrentCallsSpreadOverBothWorkersAndTheCapsStayExact() {
        // A fixed wall clock mid-hour: the hourly window cannot roll over during the test.
        final Clock clock = Clock.fixed(Instant.parse("2026-11-23T15:10:00Z"), ZoneOffset.UTC);
        try (Handler capped = Handler.open(Ports.free(64000, 64499));
             Handler overflow = Handler.open(Ports.free(64000, 64499));
             Carrier carrier = Carrier.open(Ports.free(64000, 64499))) {
            capped.behaviour(Behaviour.answer());
            overflow.behaviour(Behaviour.answer());
            final int sipPort = Ports.free(64000, 64499);
            final RouterServer server = RouterServer.start(TestConfig.load(dir, config(sipPort, capped, overflow, 2)),
                    clock, new RecordingEvents(), MessageCounters.NONE);
            try (RouterMetrics metrics = new RouterMetrics()) {
                metrics.bind(server, clock);
                final SipWorkers workers = server.workers();
                assertEquals(2, workers.count());
                final String target = "127.0.0.1:" + sipPort;

                int cappedBefore = 0;
                int overflowBefore = 0;
                for (int round = 1; round <= 2; round++) {
                    final List<CarrierCall> calls = new ArrayList<>(CALLS);
                    for (int i = 0; i < CALLS; i++) {
                        calls.add(carrier.call(target, NUMBER));
                    }
                    for (CarrierCall call : calls) {
                        assertEquals(200, call.awaitFinal(WAIT).status(), call.toString());
                    }
                    // Every call is up: the capped handler got exactly what its caps allow (its
                    // concurrency, then what is left of the hour), however the two loops raced
                    // for its slots; the rest overflowed.
                    final int cappedNow = Math.min(CONCURRENCY, HOURLY - cappedBefore);
                    assertEquals(cappedBefore + cappedNow, capped.inviteCount(), "calls the capped handler got");
                    assertEquals(overflowBefore + CALLS - cappedNow, overflow.inviteCount(), "calls that overflowed");
                    for (ReceivedRequest invite : overflow.invites()) {
                        assertTrue(invite.callId().matches("bw[01]\\.[0-9a-f]{16}@127\\.0\\.0\\.1"), invite.callId());
                        assertTrue(invite.branch().matches("z9hG4bKw[01]\\.[0-9a-f]{16}"), invite.branch());
                    }
                    Await.until(WAIT, () -> workers.activeCalls() == CALLS, () -> "live calls " + perWorker(workers));
                    double reported = 0;
                    for (SipWorker worker : workers.all()) {
                        assertTrue(worker.b2bua().stats().activeCalls > 0,
                                "worker " + worker.id() + " owns some of the calls: " + perWorker(workers));
                        reported += metrics.registry().get("sip.worker.calls.active")
                                .tag("worker", Integer.toString(worker.id())).gauge().value();
                    }
                    assertEquals(CALLS, reported, "sip_worker_calls_active over the workers");
                    assertEquals(CALLS, metrics.registry().get("b2bua.active.calls").gauge().value(),
                            "b2bua_active_calls sums the workers");

                    // The capped handler hangs up its calls (its BYEs carry the Call-IDs the
                    // owning worker minted); the carrier hangs up the others.
                    final List<ReceivedRequest> cappedInvites = capped.invites();
                    for (ReceivedRequest invite : cappedInvites.subList(cappedBefore, cappedBefore + cappedNow)) {
                        assertEquals(200, capped.hangUp(invite.callId(), WAIT).status(), "handler BYE " + invite.callId());
                    }
                    Await.until(WAIT, () -> calls.stream().filter(WorkersIntegrationTest::hungUpOn).count() == cappedNow,
                            () -> "handler hang-ups relayed to the carrier: "
                                    + calls.stream().filter(WorkersIntegrationTest::hungUpOn).count());
                    for (CarrierCall call : calls) {
                        if (!hungUpOn(call)) {
                            assertEquals(200, call.bye(WAIT).status(), "carrier BYE " + call.callId());
                        }
                    }
                    Await.until(WAIT, () -> workers.activeCalls() == 0, () -> "live calls " + perWorker(workers));
                    // The next round finds the concurrency slots given back by both workers.
                    cappedBefore += cappedNow;
                    overflowBefore += CALLS - cappedNow;
                }
                assertEquals(HOURLY, capped.inviteCount(), "the hourly cap, exactly");
                assertEquals(0, workers.pendingCalls());
                for (SipWorker worker : workers.all()) {
                    assertTrue(worker.transactions().stats().serverTransactionsCreated > 0,
                            "worker " + worker.id() + " had server transactions");
                }
                assertEquals(0, workers.transactionStats().strayResponses, "every response found its transaction");
                assertEquals(0, server.errors().total(), "internal errors");
            } finally {
                server.close();
            }
        }
    }

    @Test
    void oneWorkerIsTheSingleSipLoopWithUnmarkedIdentifiers() {
        try (Handler handler = Handler.open(Ports.free(64000, 64499));
             Handler spare = Handler.open(Ports.free(64000, 64499));
             Carrier carrier = Carrier.open(Ports.free(64000, 64499))) {
            handler.behaviour(Behaviour.answer());
            final int sipPort = Ports.free(64000, 64499);
            final RouterServer server = RouterServer.start(TestConfig.load(dir, config(sipPort, handler, spare, 1)),
                    Clock.systemUTC(), new RecordingEvents(), MessageCounters.NONE);
            try {
                assertEquals(1, server.workers().count());
                final CarrierCall call = carrier.call("127.0.0.1:" + sipPort, NUMBER);
                assertEquals(200, call.awaitFinal(WAIT).status());
                final ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
                assertTrue(invite.callId().matches("b[0-9a-f]{16}@127\\.0\\.0\\.1"), invite.callId());
                assertTrue(invite.branch().matches("z9hG4bK[0-9a-f]{16}"), invite.branch());
                assertEquals(200, call.bye(WAIT).status());
                Await.until(WAIT, () -> server.workers().activeCalls() == 0, () -> perWorker(server.workers()));
            } finally {
                server.close();
            }
        }
    }

    /** Whether the router relayed a BYE to this carrier call. */
    private static boolean hungUpOn(CarrierCall call) {
        return call.requests().stream().anyMatch(r -> r.method().equals("BYE"));
    }

    private static String perWorker(SipWorkers workers) {
        final StringBuilder out = new StringBuilder();
        for (SipWorker worker : workers.all()) {
            out.append(" worker ").append(worker.id()).append(": ").append(worker.b2bua().stats().activeCalls);
        }
        return out.toString();
    }

    private String config(int sipPort, Handler capped, Handler overflow, int workers) {
        return """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                    workers: %d
                  admin: { listen: "127.0.0.1:0" }
                  health: { enabled: false }
                sources:
                  - id: web
                handlers:
                  - { id: capped, uri: "%s", caps: { concurrency: %d, hourly: %d } }
                  - { id: overflow, uri: "%s", priority: 2 }
                campaigns:
                  - id: sales
                    handlers: [capped, overflow]
                numbers:
                  - { number: "+%s", campaign: sales, source: web }
                """.formatted(dir.resolve("data").toAbsolutePath(), sipPort, workers, capped.uri(), CONCURRENCY, HOURLY,
                overflow.uri(), NUMBER);
    }
}
