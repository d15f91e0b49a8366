package org.callrouter.server;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.netty.util.concurrent.ScheduledFuture;
import org.callrouter.routing.Router;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.sip.codec.SipLimits;
import org.callrouter.sip.uri.Uri;
import org.callrouter.sip.validate.RequestValidator;
import org.callrouter.server.b2bua.B2bua;
import org.callrouter.server.b2bua.B2buaSettings;
import org.callrouter.server.b2bua.HandlerProber;
import org.callrouter.server.b2bua.LocalContact;
import org.callrouter.server.b2bua.SipTargets;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.transaction.InboundDispatcher;
import org.callrouter.server.transaction.MessageCounters;
import org.callrouter.server.transaction.SipTimers;
import org.callrouter.server.transaction.TransactionLayer;
import org.callrouter.server.transport.NettySipTransport;
import org.callrouter.server.transport.SipNetty;
import org.callrouter.server.transport.SipSocket;
import org.callrouter.server.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running router: wires the routing core, the SIP event loop, the transports, the
 * transaction layer and the B2BUA, and takes them down again, draining live calls first.
 */
public final class RouterServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);
    private static final long TICK_MS = 8;

    private final RouterConfig config;
    private final DistinctErrorHandler errors = new DistinctErrorHandler();
    private final Router router;
    private final SipNetty netty;
    private final TimerService timers;
    private final NettySipTransport transport;
    private final TransactionLayer layer;
    private final B2bua b2bua;
    private final HandlerProber prober;
    private final ScheduledFuture<?> tick;
    private boolean closed;

    private RouterServer(RouterConfig config, Clock wall, CallEvents events, MessageCounters counters) {
        this.config = config;
        final ServerSettings settings = config.server();
        final ServerSettings.Sip sip = settings.sip();
        this.router = Router.open(config, wall, RandomGenerator.of("L64X128MixRandom"));
        boolean started = false;
        this.netty = SipNetty.start(true);
        try {
            this.timers = new TimerService(monoMs(), TICK_MS, 1024, errors);
            final List<SipSocket> sockets = sip.listen().stream().map(SipSocket::of).toList();
            this.transport = new NettySipTransport(netty, sockets,
                    new SipLimits().maxMessageBytes(sip.maxMessageBytes()), errors);
            transport.start();
            this.layer = new TransactionLayer(transport, timers, new SipTimers(sip.t1Ms(), sip.t2Ms(), sip.t4Ms()),
                    RouterServer::monoMs, counters);
            final Map<Transport, InetSocketAddress> bound = new EnumMap<>(Transport.class);
            for (Transport t : Transport.values()) {
                final InetSocketAddress address = transport.localAddress(t);
                if (address != null) {
                    bound.put(t, address);
                }
            }
            final LocalContact local = new LocalContact(sip.advertisedHost(), bound);
            final SipTargets targets = new SipTargets();
            final List<HandlerProber.Target> probeTargets = resolveHandlers(config, targets);
            this.b2bua = new B2bua(layer, timers, RouterServer::monoMs, wall, router, events, local, targets,
                    RequestValidator.defaults(), B2buaSettings.of(sip), errors, transport);
            this.prober = settings.health().enabled()
                    ? new HandlerProber(layer, timers, RouterServer::monoMs, wall, router.health(), local,
                    settings.health().probeIntervalSeconds() * 1000L, probeTargets)
                    : null;
            transport.sink(new InboundDispatcher(layer, errors));
            this.tick = netty.loop().scheduleAtFixedRate(this::onTick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
            if (prober != null) {
                netty.loop().execute(prober::start);
            }
            started = true;
        } finally {
            if (!started) {
                netty.close();
                router.close();
            }
        }
        LOG.info("router listening on {} ({}), {} campaigns, {} handlers, {} numbers, data in {}",
                transport.bound(), netty.epoll() ? "epoll" : "nio", config.campaigns().size(),
                config.handlers().size(), router.numbers().size(), settings.dataDir().toAbsolutePath());
    }

    /**
     * Starts a router on {@code config}: opens the stores, binds the sockets and starts probing.
     *
     * @throws IllegalStateException when a socket cannot be bound or a handler URI does not resolve.
     */
    public static RouterServer start(RouterConfig config, Clock wall, CallEvents events, MessageCounters counters) {
        return new RouterServer(config, wall, events, counters);
    }

    /** The sockets bound, with real ports. */
    public List<SipSocket> sockets() {
        return transport.bound();
    }

    public B2bua b2bua() {
        return b2bua;
    }

    public Router router() {
        return router;
    }

    public TransactionLayer transactions() {
        return layer;
    }

    public DistinctErrorHandler errors() {
        return errors;
    }

    public RouterConfig config() {
        return config;
    }

    /**
     * Graceful stop: new INVITEs get 503 at once; live calls may go on for up to
     * {@code drainTimeoutMs}; what is left is then ended (BYE both legs) and everything closes.
     */
    public void drainAndClose(long drainTimeoutMs) {
        b2bua.drain();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
        while (b2bua.stats().activeCalls > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Ends every live call, then closes sockets, the event loop and the stores. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        netty.loop().submit(() -> {
            b2bua.drain();
            b2bua.terminateAll("router shutting down");
            if (prober != null) {
                prober.stop();
            }
            tick.cancel(false);
        }).awaitUninterruptibly(5, TimeUnit.SECONDS);
        // Let the final BYEs and 503s leave before the sockets close.
        netty.loop().submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
        transport.close();
        netty.close();
        router.close();
        LOG.info("router stopped");
    }

    private void onTick() {
        try {
            timers.poll(monoMs());
        } catch (RuntimeException | Error e) {
            errors.onError(e);
        }
    }

    private static List<HandlerProber.Target> resolveHandlers(RouterConfig config, SipTargets targets) {
        final List<HandlerProber.Target> out = new ArrayList<>();
        for (HandlerConfig handler : config.handlers()) {
            final String uri = handler.uri();
            out.add(new HandlerProber.Target(handler.id(), uri, targets.resolve(uri, Uri.parse(uri))));
        }
        return out;
    }

    /** A monotonic millisecond clock for SIP timers (never the wall clock, which can jump). */
    static long monoMs() {
        return System.nanoTime() / 1_000_000;
    }
}
