package org.callrouter.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

import org.agrona.ErrorHandler;
import org.callrouter.routing.Router;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.codec.SipRequestBuilder;
import org.callrouter.sip.codec.SipResponseBuilder;
import org.callrouter.sip.message.HeaderName;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.sip.uri.Uri;
import org.callrouter.sip.validate.RequestValidator;
import org.callrouter.server.b2bua.B2bua;
import org.callrouter.server.b2bua.B2buaSettings;
import org.callrouter.server.b2bua.LocalContact;
import org.callrouter.server.b2bua.SipTargets;
import org.callrouter.server.leads.JournalIngest;
import org.callrouter.server.leads.StoreFeed;
import org.callrouter.server.records.RecordPipeline;
import org.callrouter.server.recovery.CrashRecovery;
import org.callrouter.server.recovery.LiveCallReleaser;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.transaction.InboundDispatcher;
import org.callrouter.server.transaction.MessageCounters;
import org.callrouter.server.transaction.SipTimers;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transport.Backlog;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.SipSender;
import org.callrouter.server.transport.Transport;

/**
 * Places some thousands of synthetic calls through the real call path before the sockets open:
 * the codec, the transaction layer, the B2BUA, the timer wheel and a routing decision with caps
 * and a conversion rule, against a throwaway router in a temporary directory, with a carrier
 * and a handler played in memory. The calls' events go through a real record pipeline into a
 * journal in that directory, their answered legs into a live-call store there, and, when the
 * router keeps a lead store, an ingest takes the journal into an embedded store there too.
 * Nothing touches the network or the real stores.
 * <p>
 * Why: a JVM interprets code until the JIT has compiled it, and compiling takes the CPU the SIP
 * loop needs. Without this, the first few hundred calls after a start take tens of
 * milliseconds each, the loop falls behind for a few hundred milliseconds, and calls arriving at
 * a rate the warm router handles with ease wait, or are refused as an overload. The records,
 * the live-call store and the ingest run on other threads, but on a two-core machine their
 * first compilations (JSON, dates, Chronicle Map writes, the store's appender: some thousands of
 * methods) took the SIP loop's core in the first seconds after a start just the same.
 */
final class Warmup {

    private static final int CALLS = 20_000;
    private static final long BUDGET_NS = 4_000_000_000L;
    private static final InetSocketAddress ROUTER = new InetSocketAddress("127.0.0.1", 5060);
    private static final InetSocketAddress CARRIER = new InetSocketAddress("127.0.0.1", 5090);
    private static final InetSocketAddress HANDLER = new InetSocketAddress("127.0.0.1", 5080);
    private static final String SDP = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 21000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static final byte[] SDP_BYTES = SDP.getBytes(StandardCharsets.US_ASCII);

    /** Messages of the first calls, both ways, for {@link TransportWarmup}. */
    private static final int SAMPLE = 64;
    /** The longest a warm-up call lasts, for the journal reader: they all end at once. */
    private static final long LONGEST_CALL_MS = 60_000;

    private final ArrayDeque<Object[]> wire = new ArrayDeque<>();
    private final List<byte[]> sample = new ArrayList<>();
    private long nowMs = 1_000_000;
    private InboundDispatcher router;
    private int completed;
    private long recorded;
    private long stored = -1;

    private Warmup() {
    }

    /**
     * What the warm-up did.
     *
     * @param calls    the synthetic calls completed.
     * @param recorded the lines their records wrote to the warm-up's journal.
     * @param stored   the calls the warm-up's ingest took into its lead store by the end (-1: no store).
     * @param messages the messages of the first calls, as they went over the (in-memory) wire.
     */
    record Result(int calls, long recorded, long stored, List<byte[]> messages) {
    }

    /**
     * Runs up to {@link #CALLS} calls or four seconds, whichever comes first.
     *
     * @param leadStore whether the server keeps a lead store, so whether to warm the ingest up
     */
    static Result run(boolean leadStore, ErrorHandler errors) {
        final Path dir;
        try {
            dir = Files.createTempDirectory("callrouter-warmup");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the warm-up", e);
        }
        try {
            final Warmup warmup = new Warmup();
            final int calls = warmup.calls(config(dir, leadStore), errors);
            return new Result(calls, warmup.recorded, warmup.stored, List.copyOf(warmup.sample));
        } finally {
            delete(dir);
        }
    }

    private int calls(RouterConfig config, ErrorHandler errors) {
        final ServerSettings settings = config.server();
        final Path journal = settings.dataDir().resolve("journal");
        final Clock wall = Clock.systemUTC();
        final CrashRecovery live = new CrashRecovery(settings.dataDir(), settings.sip().overload().maxActiveCalls(),
                journal, errors);
        try (Router routing = Router.open(config, wall, RandomGenerator.of("L64X128MixRandom"));
             RecordPipeline records = new RecordPipeline(settings.records(), journal, LONGEST_CALL_MS,
                     List.of(new LiveCallReleaser(live)), wall, errors);
             StoreFeed store = StoreFeed.start(settings, journal, config.attribution(), file -> true, wall, errors)) {
            live.open();
            records.conversions(routing.conversions());
            final SipSender sender = (destination, message, onFailure) -> wire.add(new Object[]{destination, message});
            final TimerService timers = new TimerService(nowMs, 8, 1024, errors);
            final TransactionLayer layer = new TransactionLayer(sender, timers, SipTimers.DEFAULT, () -> nowMs,
                    MessageCounters.NONE);
            final SipTargets targets = new SipTargets();
            final String handlerUri = "sip:127.0.0.1:" + HANDLER.getPort();
            targets.prepare(List.of(handlerUri));
            final B2bua b2bua = new B2bua(layer, timers, () -> nowMs, wall, routing, records.events(),
                    new LocalContact(null, Map.of(Transport.UDP, ROUTER)), targets, RequestValidator.defaults(),
                    B2buaSettings.of(settings.sip()), errors, Backlog.NONE);
            b2bua.liveCalls(live.store());
            router = new InboundDispatcher(layer, errors);
            final long deadline = System.nanoTime() + BUDGET_NS;
            for (int call = 0; call < CALLS && System.nanoTime() < deadline; call++) {
                deliver(ROUTER, CARRIER, invite(call));
                pump();
                nowMs += 2;
                timers.poll(nowMs);
            }
            if (store.ingest() != null) {
                stored = store.ingest().ingested(JournalIngest.Kind.CALL);
            }
            records.close(); // writes out the last records
            recorded = records.journalLines();
            return completed;
        } catch (IOException e) {
            throw new UncheckedIOException("the warm-up's records or store cannot be opened", e);
        } finally {
            live.close(); // after the records: their last lines remove calls from it
        }
    }

    /** Hands every queued message to its addressee until the call has nothing more to say. */
    private void pump() {
        Object[] next;
        while ((next = wire.poll()) != null) {
            final Destination to = (Destination) next[0];
            final byte[] bytes = (byte[]) next[1];
            keep(bytes);
            final SipMessage message = SipParser.parse(bytes, 0, bytes.length);
            if (to.address().getPort() == HANDLER.getPort()) {
                handler(message);
            } else if (to.address().getPort() == CARRIER.getPort()) {
                carrier(message);
            }
        }
    }

    /** The handler answers every INVITE at once and every BYE with 200. */
    private void handler(SipMessage message) {
        if (!(message instanceof SipRequest request)) {
            return;
        }
        final SipMethod method = request.method();
        if (method.equals(SipMethod.INVITE)) {
            deliver(ROUTER, HANDLER, SipResponseBuilder.forRequest(request, 200, "OK").toTag("h" + nowMs)
                    .header(HeaderName.CONTACT, "<sip:127.0.0.1:" + HANDLER.getPort() + ">")
                    .body("application/sdp", SDP_BYTES, 0, SDP_BYTES.length).toBytes());
        } else if (!method.equals(SipMethod.ACK)) {
            deliver(ROUTER, HANDLER, SipResponseBuilder.forRequest(request, 200, "OK").toBytes());
        }
    }

    /** The carrier acknowledges the answer and hangs up at once. */
    private void carrier(SipMessage message) {
        if (message instanceof SipRequest request) {
            if (!request.method().equals(SipMethod.ACK)) {
                deliver(ROUTER, CARRIER, SipResponseBuilder.forRequest(request, 200, "OK").toBytes());
            }
            return;
        }
        final SipResponse response = (SipResponse) message;
        if (response.statusCode() < 200) {
            return;
        }
        if (response.cseq().method().equals(SipMethod.BYE)) {
            completed++;
            return;
        }
        if (response.statusCode() < 300) {
            final String target = response.contacts().get(0).uri().toString();
            deliver(ROUTER, CARRIER, inDialog(SipMethod.ACK, 1, target, response));
            deliver(ROUTER, CARRIER, inDialog(SipMethod.BYE, 2, target, response));
        }
    }

    private static byte[] inDialog(SipMethod method, long cseq, String target, SipResponse answer) {
        return SipRequestBuilder.request(method, target)
                .header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:" + CARRIER.getPort() + ";branch=z9hG4bKw"
                        + method.name() + answer.callId().hashCode() + cseq)
                .header(HeaderName.MAX_FORWARDS, "70")
                .header(HeaderName.FROM, answer.header(HeaderName.FROM))
                .header(HeaderName.TO, answer.header(HeaderName.TO))
                .header(HeaderName.CALL_ID, answer.callId())
                .header(HeaderName.CSEQ, cseq + " " + method.name())
                .toBytes();
    }

    private static byte[] invite(int call) {
        final String caller = "+1415" + (2_000_000 + call % 8_000_000);
        return SipRequestBuilder.request(SipMethod.INVITE, "sip:18005550100@127.0.0.1:" + ROUTER.getPort())
                .header(HeaderName.VIA, "SIP/2.0/UDP 127.0.0.1:" + CARRIER.getPort() + ";branch=z9hG4bKwarm" + call)
                .header(HeaderName.FROM, "\"caller\" <sip:" + caller + "@127.0.0.1:" + CARRIER.getPort()
                        + ">;tag=c" + call)
                .header(HeaderName.TO, "<sip:18005550100@127.0.0.1:" + ROUTER.getPort() + ">")
                .header(HeaderName.CALL_ID, "warm-" + call + "@127.0.0.1")
                .header(HeaderName.CSEQ, "1 INVITE")
                .header(HeaderName.CONTACT, "<sip:caller@127.0.0.1:" + CARRIER.getPort() + ">")
                .header(HeaderName.MAX_FORWARDS, "70")
                .body("application/sdp", SDP_BYTES, 0, SDP_BYTES.length)
                .toBytes();
    }

    private void keep(byte[] bytes) {
        if (sample.size() < SAMPLE) {
            sample.add(bytes);
        }
    }

    private void deliver(InetSocketAddress to, InetSocketAddress from, byte[] bytes) {
        keep(bytes);
        router.onInbound(InboundMessage.of(SipParser.parse(bytes, 0, bytes.length), from, to),
                Destination.of(Transport.UDP, from));
    }

    private static RouterConfig config(Path dir, boolean leadStore) {
        final String yaml = """
                server:
                  data_dir: "%s"
                  sip: { listen: ["udp:127.0.0.1:%d"], overload: { max_active_calls: 10000 } }
                  health: { enabled: false }
                  stores: { max_numbers: 1000, max_counters: 1000, max_callers: 50000 }
                  store: { enabled: %b, poll_ms: 20 }
                sources:
                  - id: warmup
                handlers:
                  - id: warmup
                    uri: "sip:127.0.0.1:%d"
                    caps: { concurrency: 1000000, daily: 100000000 }
                campaigns:
                  - id: warmup
                    handlers: [warmup]
                    conversion:
                      source: { type: timer, seconds: 1, payout: 1.00 }
                      handler: { type: attempt, revenue: 2.00 }
                numbers:
                  - { number: "+18005550100", campaign: warmup, source: warmup }
                """.formatted(dir.toString().replace("\\", "/"), ROUTER.getPort(), leadStore, HANDLER.getPort());
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
