package org.callrouter.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.agrona.ErrorHandler;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.leads.JournalIngest;
import org.callrouter.server.leads.StoreFeed;
import org.callrouter.server.metrics.RouterMetrics;
import org.callrouter.server.records.RecordPipeline;
import org.callrouter.server.recovery.CrashRecovery;
import org.callrouter.server.recovery.LiveCallReleaser;
import org.callrouter.server.workers.SipLoops;

/**
 * Places some thousands of synthetic calls through a throwaway router before the real one's
 * sockets open: a {@link RouterServer} like the real one (the same number of SIP workers, their
 * hand-off and senders, the transport on a loopback port, the transaction layer, the B2BUA, a
 * routing decision with caps and a conversion rule, the message metrics) over a temporary
 * directory, its far ends played over loopback by a {@link WarmupPeer} in two carriers' styles.
 * Its SIP loops ({@link SipLoops}) then carry the real router's calls.
 * The calls' events go through a real record pipeline into a journal in that directory, their
 * answered legs into a live-call store there, and, when the router keeps a lead store, an ingest
 * takes the journal into an embedded store there too. Nothing touches the real sockets or stores.
 * <p>
 * Two phases: calls as fast as they complete for 3 s, longer (up to 10 s) until 1,500 have
 * completed, then a call every 2 ms until the JIT has settled ({@link JitSettling}), for up to
 * 2 s more. The floor of calls is there because what the JIT needs is calls, not seconds: on a
 * start whose stores open from a cold disk cache, both compete for the two cores and 3 s made
 * as few as 261 calls, after which the first real second overran the loop by 200 ms.
 * <p>
 * Why: a JVM interprets code until the JIT has compiled it, and compiling takes the CPU the SIP
 * loop needs. Without a warm-up the first few hundred calls after a start take tens of
 * milliseconds each and the loop falls behind. The warm-up runs the arrangement real traffic
 * meets: an earlier one drove a B2BUA with an in-memory hand-off, and when real calls came the
 * JIT threw away methods it had compiled (other receiver types, other branches: the workers'
 * hand-off, their senders, the transport's reads) and compiled them again while the calls
 * waited. The settling phase is there because a long compile queue raises the counts C2 waits
 * for: after a full-speed phase alone the hottest methods were still in C1's profiling code.
 */
final class Warmup {

    /**
     * The full-speed phase: until this many calls, or once both this long and {@link
     * #ENOUGH_CALLS} calls, or at most {@link #MAX_BUDGET_NS}.
     */
    private static final int CALLS = 20_000;
    private static final long BUDGET_NS = 3_000_000_000L;
    private static final int ENOUGH_CALLS = 1_500;
    private static final long MAX_BUDGET_NS = 10_000_000_000L;
    /** The settling phase: a call every 2 ms (500 a second) while the JIT compiles, for at most 2 s. */
    private static final long SETTLE_INTERVAL_NS = 2_000_000L;
    private static final long SETTLE_MAX_NS = 2_000_000_000L;
    private static final String NUMBER = "+18005550100";
    /** The longest a warm-up call lasts, for the journal reader: they all end at once. */
    private static final long LONGEST_CALL_MS = 60_000;

    private Warmup() {
    }

    /**
     * What the warm-up did.
     *
     * @param calls    the synthetic calls completed.
     * @param fullSpeed the calls of them completed in the full-speed phase.
     * @param settleMs how long the settling phase lasted.
     * @param settled  whether the JIT settled in it (false: it was still compiling at the phase's limit).
     * @param recorded the lines their records wrote to the warm-up's journal.
     * @param stored   the calls the warm-up's ingest took into its lead store by the end (-1: no store).
     * @param internal the internal errors the warm-up's router counted (none, when all is well).
     * @param loops    the SIP loops the warm-up's router ran on, open, for the real router to take.
     */
    record Result(int calls, int fullSpeed, long settleMs, boolean settled, long recorded, long stored, long internal,
                  SipLoops loops) {
    }

    /**
     * Runs the two phases; about 5 s on a two-core machine, less where the JIT settles sooner,
     * up to 12 s where calls complete slowly.
     *
     * @param workers   the real router's SIP workers: the warm-up's router has as many
     * @param leadStore whether the server keeps a lead store, so whether to warm the ingest up
     */
    static Result run(int workers, boolean leadStore, ErrorHandler errors) {
        final Path dir;
        try {
            dir = Files.createTempDirectory("callrouter-warmup");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the warm-up", e);
        }
        final SipLoops loops = SipLoops.start(workers);
        boolean handedOver = false;
        try (WarmupPeer peer = WarmupPeer.open()) {
            final Result result = calls(config(dir, workers, leadStore, peer.handlerAddress()), peer, loops, errors);
            handedOver = true;
            return result;
        } finally {
            if (!handedOver) {
                loops.close();
            }
            delete(dir);
        }
    }

    private static Result calls(RouterConfig config, WarmupPeer peer, SipLoops loops, ErrorHandler errors) {
        final ServerSettings settings = config.server();
        final Path journal = settings.dataDir().resolve("journal");
        final Clock wall = Clock.systemUTC();
        final CrashRecovery live = new CrashRecovery(settings.dataDir(), settings.sip().overload().maxActiveCalls(),
                journal, errors);
        try (RouterMetrics metrics = new RouterMetrics();
             RecordPipeline records = new RecordPipeline(settings.records(), journal, LONGEST_CALL_MS,
                     List.of(metrics.calls(), new LiveCallReleaser(live)), wall, errors);
             StoreFeed store = StoreFeed.start(settings, journal, config.attribution(), file -> true, wall, errors)) {
            final int fullSpeed;
            final int calls;
            final long settleMs;
            final boolean settled;
            final long internal;
            final RouterServer server = RouterServer.startForWarmup(config, wall, records.events(),
                    metrics.sipMessages(), live, loops);
            try {
                records.conversions(server.router().conversions());
                peer.target(server.sockets().get(0).address(), NUMBER);
                final long fullSpeedStart = System.nanoTime();
                fullSpeed = peer.run(CALLS, 0, () -> {
                    final long elapsed = System.nanoTime() - fullSpeedStart;
                    return elapsed < MAX_BUDGET_NS && (elapsed < BUDGET_NS || peer.completed() < ENOUGH_CALLS);
                });
                final JitSettling jit = new JitSettling();
                final long settleStart = System.nanoTime();
                calls = peer.run(Integer.MAX_VALUE, SETTLE_INTERVAL_NS,
                        () -> jit.compiling() && System.nanoTime() - settleStart < SETTLE_MAX_NS);
                settleMs = (System.nanoTime() - settleStart) / 1_000_000;
                settled = !jit.compiling();
                internal = server.errors().total();
            } finally {
                server.close();
            }
            final long stored = store.ingest() == null ? -1 : store.ingest().ingested(JournalIngest.Kind.CALL);
            records.close(); // writes out the last records
            return new Result(calls, fullSpeed, settleMs, settled, records.journalLines(), stored, internal, loops);
        } catch (IOException e) {
            throw new UncheckedIOException("the warm-up's peer, records or store failed", e);
        } finally {
            live.close(); // after the records: their last lines remove calls from it
        }
    }

    private static RouterConfig config(Path dir, int workers, boolean leadStore, InetSocketAddress handler) {
        final String yaml = """
                server:
                  data_dir: "%s"
                  sip: { listen: ["udp:127.0.0.1:0"], workers: %d, overload: { max_active_calls: 10000 } }
                  health: { enabled: false }
                  stores: { max_numbers: 1000, max_counters: 1000, max_callers: 50000, max_sessions: 1000 }
                  store: { enabled: %b, poll_ms: 20 }
                sources:
                  - id: warmup
                handlers:
                  - id: warmup
                    uri: "sip:%s:%d"
                    caps: { concurrency: 1000000, daily: 100000000 }
                campaigns:
                  - id: warmup
                    handlers: [warmup]
                    conversion:
                      source: { type: timer, seconds: 1, payout: 1.00 }
                      handler: { type: attempt, revenue: 2.00 }
                numbers:
                  - { number: "%s", campaign: warmup, source: warmup }
                """.formatted(dir.toString().replace("\\", "/"), workers, leadStore, handler.getHostString(),
                handler.getPort(), NUMBER);
        try {
            return ConfigLoader.parse(yaml, dir.resolve("warmup.yaml"));
        } catch (ConfigException e) {
            throw new IllegalStateException("the warm-up configuration is invalid: " + e.getMessage(), e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is no reason to refuse to start.
        }
    }
}
