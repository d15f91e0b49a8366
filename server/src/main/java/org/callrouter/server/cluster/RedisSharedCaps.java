package org.callrouter.server.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.caps.SharedCaps;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.config.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's caps and concurrency in Redis, through Lettuce (server README, "Cluster: shared
 * state in Redis"). Each step is one Lua script ({@code EVALSHA}, {@code EVAL} when Redis does
 * not know it yet) with a timeout of {@code cluster.timeout_ms}; nothing here blocks the caller.
 *
 * <p>A slot is a lease of this node: a member of the handler's live set scored by its expiry in
 * Redis time. A daemon thread renews the node's slots every {@code lease_ms/3}; when the node
 * dies its slots (and their holds) stop counting at most {@code lease_ms} after its last renewal.
 */
public final class RedisSharedCaps implements SharedCaps, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSharedCaps.class);
    private static final long RECONNECT_MS = 500;

    private final ClusterConfig config;
    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final ScheduledExecutorService scheduler;
    private final ClusterStats stats = new ClusterStats();
    /** This node's live slots, by id: what the renewals renew. */
    private final Map<String, LeasedSlot> slots = new ConcurrentHashMap<>();
    /** Slot ids: node id and start time, so a restarted node never reuses a slot id of its last life. */
    private final String slotPrefix;
    private final AtomicLong nextSlot = new AtomicLong();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final String leaseArg;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;

    private RedisSharedCaps(ClusterConfig config) {
        this.config = config;
        this.uri = RedisURI.create(config.redis());
        uri.setTimeout(Duration.ofMillis(config.timeoutMs()));
        // Lettuce backs off reconnects exponentially up to 30 s by default: far longer than an
        // outage the lease bound and the policies are tuned for.
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(Delay.constant(Duration.ofMillis(RECONNECT_MS))).build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // The default queues commands while disconnected, without bound and past any timeout.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(config.timeoutMs())))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofMillis(Math.max(config.timeoutMs(), 1000))).build())
                .build());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-leases");
            t.setDaemon(true);
            return t;
        });
        this.slotPrefix = config.nodeId() + ":" + Long.toString(System.currentTimeMillis(), 36) + ":";
        this.leaseArg = Integer.toString(config.leaseMs());
    }

    /**
     * Connects to {@code cluster.redis} in the background (calls fail over to their campaign's
     * policy until it is reached) and starts renewing this node's leases.
     */
    public static RedisSharedCaps start(ClusterConfig config) {
        RedisSharedCaps caps = new RedisSharedCaps(config);
        caps.connect();
        caps.scheduler.scheduleAtFixedRate(caps::renew, config.renewEveryMs(), config.renewEveryMs(),
                TimeUnit.MILLISECONDS);
        return caps;
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, error) -> {
            if (error != null) {
                // Lettuce reconnects a connection it once had, never a first connect that failed.
                noteFailure(ClusterStats.Step.CONNECT, error, false);
                if (!closed) {
                    scheduler.schedule(this::connect, RECONNECT_MS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (closed) {
                c.closeAsync();
                return;
            }
            // Loaded before the first step, so that no step waits on a NOSCRIPT round trip (which
            // would also let a later step overtake it). A Redis that restarts later loses them:
            // run() sends the text then.
            CompletableFuture<?>[] loads = LuaScript.ALL.stream()
                    .map(script -> c.async().scriptLoad(script.text()).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(loads).whenComplete((loaded, loadError) -> {
                if (loadError != null) {
                    noteFailure(ClusterStats.Step.CONNECT, loadError, false);
                }
                connection = c;
                LOG.info("cluster node {} connected to Redis at {}:{}", config.nodeId(), uri.getHost(), uri.getPort());
            });
        });
    }

    @Override
    public CompletionStage<Acquired> acquire(String handlerId, long[] windows, long[] windowEndsMs, Caps caps,
                                             boolean commitNow, boolean hold) {
        String id = slotPrefix + Long.toString(nextSlot.incrementAndGet(), 36);
        String[] counts = CapKeys.counts(handlerId, windows);
        String[] holds = CapKeys.holds(handlerId, windows);
        String[] keys = new String[9];
        keys[0] = CapKeys.live(handlerId);
        System.arraycopy(counts, 0, keys, 1, 4);
        System.arraycopy(holds, 0, keys, 5, 4);
        String[] args = new String[12];
        args[0] = id;
        args[1] = leaseArg;
        args[2] = Integer.toString(caps.concurrency());
        int[] limits = CapCounters.limits(caps);
        for (int w = 0; w < 4; w++) {
            args[3 + w] = Integer.toString(limits[w]);
            args[8 + w] = Long.toString(windowEndsMs[w]);
        }
        args[7] = commitNow ? "1" : hold ? "2" : "0";
        boolean holding = !commitNow && hold;
        return run(ClusterStats.Step.ACQUIRE, LuaScript.ACQUIRE, keys, args).thenApply(result -> {
            int full = result.intValue();
            if (full != CapCounters.GRANTED) {
                return new Acquired(full, null);
            }
            LeasedSlot slot = new LeasedSlot(handlerId, id, counts, holding ? holds : null, windowEndsMs);
            slots.put(id, slot);
            return new Acquired(CapCounters.GRANTED, slot);
        });
    }

    @Override
    public void commitNow(String handlerId, long[] windows, long[] windowEndsMs) {
        run(ClusterStats.Step.COUNT, LuaScript.COUNT, CapKeys.counts(handlerId, windows), ends(windowEndsMs));
    }

    private static String[] ends(long[] windowEndsMs) {
        String[] args = new String[4];
        for (int w = 0; w < 4; w++) {
            args[w] = Long.toString(windowEndsMs[w]);
        }
        return args;
    }

    /** This node's slot; its methods are called once each at most ({@code HandlerReservation} sees to it). */
    private final class LeasedSlot implements Slot {
        final String handlerId;
        final String id;
        final String[] counts;
        final long[] ends;
        /** The hold sets while holds are pending, else null (nothing more to renew in them). */
        volatile String[] holds;

        LeasedSlot(String handlerId, String id, String[] counts, String[] holds, long[] ends) {
            this.handlerId = handlerId;
            this.id = id;
            this.counts = counts;
            this.holds = holds;
            this.ends = ends;
        }

        @Override
        public void commitHold() {
            String[] h = holds;
            if (h == null) {
                return;
            }
            holds = null;
            String[] keys = new String[8];
            System.arraycopy(counts, 0, keys, 0, 4);
            System.arraycopy(h, 0, keys, 4, 4);
            String[] args = new String[5];
            args[0] = id;
            System.arraycopy(ends(ends), 0, args, 1, 4);
            run(ClusterStats.Step.COMMIT, LuaScript.COMMIT, keys, args);
        }

        @Override
        public void release(boolean dropHold) {
            slots.remove(id);
            String[] h = holds;
            holds = null;
            String[] keys = new String[5];
            keys[0] = CapKeys.live(handlerId);
            boolean drop = dropHold && h != null;
            for (int w = 0; w < 4; w++) {
                keys[1 + w] = drop ? h[w] : keys[0];
            }
            run(ClusterStats.Step.RELEASE, LuaScript.RELEASE, keys, id, drop ? "1" : "0");
        }
    }

    /** Renews every slot this node holds, one script per handler (on the lease thread). */
    private void renew() {
        try {
            renewAll();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the leases would silently run out.
            noteFailure(ClusterStats.Step.RENEW, e, false);
        }
    }

    private void renewAll() {
        if (slots.isEmpty()) {
            return;
        }
        Map<String, List<LeasedSlot>> byHandler = new HashMap<>();
        for (LeasedSlot slot : slots.values()) {
            byHandler.computeIfAbsent(slot.handlerId, h -> new ArrayList<>()).add(slot);
        }
        byHandler.forEach((handlerId, held) -> {
            Set<String> keys = new LinkedHashSet<>();
            keys.add(CapKeys.live(handlerId));
            keys.add(CapKeys.holds(handlerId, new long[4])[CapWindow.TOTAL.ordinal()]);
            List<String> args = new ArrayList<>(held.size() + 1);
            args.add(leaseArg);
            for (LeasedSlot slot : held) {
                args.add(slot.id);
                String[] h = slot.holds;
                if (h != null) {
                    keys.addAll(List.of(h));
                }
            }
            run(ClusterStats.Step.RENEW, LuaScript.RENEW, keys.toArray(new String[0]), args.toArray(new String[0]));
        });
    }

    /**
     * Runs a script by its SHA-1, sending its text when Redis answers NOSCRIPT (a Redis that
     * restarted, or was flushed, since this node last used it).
     */
    private CompletionStage<Long> run(ClusterStats.Step step, LuaScript script, String[] keys, String... args) {
        return run(step, script, ScriptOutputType.INTEGER, keys, args);
    }

    /**
     * {@link #run(ClusterStats.Step, LuaScript, String[], String...)} with the script's reply as
     * {@code type} gives it. The pools' steps ({@link RedisSharedPools}) and the caller index's
     * steps ({@link RedisSharedCallers}) run here too, so a router has one connection to Redis,
     * one reconnect loop and one set of failure counts.
     */
    <T> CompletionStage<T> run(ClusterStats.Step step, LuaScript script, ScriptOutputType type, String[] keys,
                               String... args) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            RedisConnectionException error = new RedisConnectionException("not connected to Redis at " + uri.getHost()
                    + ":" + uri.getPort());
            noteFailure(step, error, false);
            return CompletableFuture.failedFuture(error);
        }
        RedisAsyncCommands<String, String> redis = c.async();
        CompletionStage<T> result = redis.<T>evalsha(script.sha(), type, keys, args)
                .exceptionallyCompose(error -> unwrap(error) instanceof RedisNoScriptException
                        ? redis.<T>eval(script.text(), type, keys, args)
                        : CompletableFuture.failedFuture(error));
        return result.whenComplete((value, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                noteFailure(step, cause, cause instanceof RedisCommandTimeoutException);
            } else if (failing.compareAndSet(true, false)) {
                LOG.info("cluster node {}: Redis answers again", config.nodeId());
            }
        });
    }

    private void noteFailure(ClusterStats.Step step, Throwable error, boolean timeout) {
        stats.failed(step, timeout);
        if (failing.compareAndSet(false, true)) {
            LOG.warn("cluster node {}: Redis at {}:{} fails ({}); calls follow their campaign's"
                    + " on_shared_state_error until it answers", config.nodeId(), uri.getHost(), uri.getPort(),
                    error.toString());
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** What failed and timed out, for metrics. */
    public ClusterStats stats() {
        return stats;
    }

    /** Whether the connection to Redis is up now. */
    public boolean connected() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
    }

    /** Slots this node holds now (calls ringing or up on capped handlers). */
    public int slots() {
        return slots.size();
    }

    /** Stops renewing (the slots left expire within a lease) and closes the connection. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
