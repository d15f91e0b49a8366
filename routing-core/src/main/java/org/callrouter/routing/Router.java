package org.callrouter.routing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.caps.SharedCaps;
import org.callrouter.routing.caps.CapWindow;
import org.callrouter.routing.config.CampaignConfig;
import org.callrouter.routing.config.Caps;
import org.callrouter.routing.config.ConfigError;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.NumberConfig;
import org.callrouter.routing.config.NumberPolicy;
import org.callrouter.routing.config.RepeatCallers;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.routing.config.SharedStatePolicy;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.pool.Attribution;
import org.callrouter.routing.pool.PoolSessions;
import org.callrouter.routing.pool.SharedPoolSessions;
import org.callrouter.routing.pool.SharedPools;
import org.callrouter.routing.store.CallerIndex;
import org.callrouter.routing.quarantine.QuarantinedNumber;
import org.callrouter.routing.store.BlockedCallerStore;
import org.callrouter.routing.store.NumberDayStore;
import org.callrouter.routing.store.NumberRemoval;
import org.callrouter.routing.store.NumberStore;
import org.callrouter.routing.store.QuarantineStore;
import org.callrouter.routing.store.SharedCallers;
import org.callrouter.routing.store.StoreCapacity;
import org.callrouter.routing.store.StoreException;
import org.callrouter.routing.store.StoreFullException;
import org.callrouter.routing.store.Stores;
import org.callrouter.routing.store.SymbolTable;

/**
 * The routing decision, the stores behind it and the services around it.
 *
 * <p>{@link #route} is safe from any number of threads and, for a tracked number, reads
 * one Chronicle Map entry and otherwise only memory: each handler's business hours and cap
 * windows are cached as epoch-millisecond spans, criteria compare strings, skips and
 * candidates are built when the configuration is loaded, and per-thread scratch arrays
 * hold the work. {@link #reload} compiles a whole new snapshot and swaps one reference;
 * cap counters are kept per handler id across reloads, so live reservations stay valid.
 */
public final class Router implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** The rejection reason of a call from a caller blocked as spam (a call of theirs was marked spam). */
    public static final String SPAM_CALLER_REASON = "spam caller";

    private final Stores stores;
    private final boolean writable;
    private final Clock clock;
    private final RandomGenerator random;
    private final HandlerHealth health;
    private final ConversionService conversions;
    private final PoolSessions pools;
    private final Map<String, CapCounters> counters = new ConcurrentHashMap<>();
    private final ThreadLocal<DecisionScratch> scratch = ThreadLocal.withInitial(DecisionScratch::new);
    private final Object reloadLock = new Object();
    /** Whether a refusal of the full caller index was logged since the index last had room. */
    private final AtomicBoolean callersFullLogged = new AtomicBoolean();
    private volatile Snapshot snapshot;
    /** The cluster's shared caps; null while caps are this node's own (no {@code cluster:}). */
    private volatile SharedCaps shared;
    /** Slots taken from this node's counters because the shared store failed (policy {@code local}). */
    final LongAdder sharedStateFallbacks = new LongAdder();
    /** Calls refused because the shared store failed (policy {@code reject}). */
    final LongAdder sharedStateRejections = new LongAdder();
    /** The pools' sessions in the cluster's shared store; null while they are this node's own. */
    private volatile SharedPoolSessions sharedPools;
    /** Calls to a pool number attributed to the pool only because the shared store failed (policy {@code local}). */
    private final LongAdder poolAttributionFallbacks = new LongAdder();
    /** The cluster's shared caller index; null while callers are this node's own (no {@code cluster:}). */
    private volatile SharedCallers sharedCallers;
    /** Conversions deduplicated in this node's caller index because the shared one failed. */
    final LongAdder sharedDedupeFallbacks = new LongAdder();

    private Router(RouterConfig config, Stores stores, boolean writable, Clock clock, RandomGenerator random,
                   HandlerHealth health) {
        this.stores = stores;
        this.writable = writable;
        this.clock = clock;
        this.random = random;
        this.health = health != null ? health : new HandlerHealth(config.server().health());
        this.conversions = new ConversionService(this);
        this.pools = new PoolSessions(stores.sessions(), config.pools(),
                config.server().tracking().maxSessionsPerAddress(), clock.millis());
    }

    /**
     * Opens the router that serves calls: opens or creates the stores under
     * {@code server.data_dir} (taking the directory's lock), writes the YAML's numbers into
     * the numbers store, and compiles the configuration.
     *
     * @param random the weighted order's random source; it must be safe for every thread
     *               that calls {@link #route} ({@code ThreadLocalRandom.current()} is)
     * @throws StoreException when the stores cannot be opened (e.g. another router uses the directory)
     */
    public static Router open(RouterConfig config, Clock clock, RandomGenerator random) {
        return open(config, clock, random, Stores.Access.SERVE, null);
    }

    /**
     * Opens a router that only explains decisions: the same stores (beside a serving
     * router, without its lock) and the same decision, but the configuration's numbers are
     * not written to the store and {@link RoutingPlan#reserve} refuses, so no cap moves.
     */
    public static Router openReadOnly(RouterConfig config, Clock clock, RandomGenerator random) {
        return open(config, clock, random, Stores.Access.INSPECT, null);
    }

    /**
     * A read-only router (as {@link #openReadOnly(RouterConfig, Clock, RandomGenerator)}) that
     * sees the serving router's handler health, so an explanation skips the handlers the serving
     * router skips as unhealthy.
     */
    public static Router openReadOnly(RouterConfig config, Clock clock, RandomGenerator random,
                                      HandlerHealth serving) {
        return open(config, clock, random, Stores.Access.INSPECT, serving);
    }

    private static Router open(RouterConfig config, Clock clock, RandomGenerator random, Stores.Access access,
                               HandlerHealth health) {
        Stores stores = Stores.open(config.server().dataDir(), config.server().stores(), access);
        try {
            Router router = new Router(config, stores, access == Stores.Access.SERVE, clock, random, health);
            if (router.writable) {
                List<ConfigError> conflicts = router.quarantineConflicts(config);
                if (!conflicts.isEmpty()) {
                    throw new StoreException(new ConfigException(conflicts).getMessage());
                }
            }
            router.snapshot = router.compile(config);
            return router;
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    private Snapshot compile(RouterConfig config) {
        Snapshot next = new SnapshotBuilder(stores, writable, counters, health).build(config);
        if (writable) {
            int removed = SnapshotBuilder.applyYamlNumbers(config, stores.numbers(), stores.quarantine(),
                    stores.symbols(), clock.millis());
            if (removed > 0) {
                LOG.info("removed {} tracked numbers no longer listed in {}; they are quarantined for {} days",
                        removed, config.file(), config.numberPolicy().quarantineDays());
            }
        }
        return next;
    }

    /**
     * Errors for the numbers {@code config} assigns that are quarantined and may not be assigned
     * yet, each naming the number, the campaign it left and until when it stays quarantined.
     */
    private List<ConfigError> quarantineConflicts(RouterConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        if (stores.quarantine().size() == 0) {
            return errors;
        }
        long nowMs = clock.millis();
        NumberPolicy policy = config.numberPolicy();
        for (NumberConfig number : config.trackedNumbers()) {
            stores.quarantine().find(Long.parseLong(number.number().substring(1)))
                    .filter(q -> !q.releasable(policy, nowMs))
                    .ifPresent(q -> errors.add(config.errorAt(config.pathOf(number.number()), q.refusal(policy))));
        }
        return errors;
    }

    /**
     * Decides where a call goes. Never throws for bad input: an unparseable or untracked
     * number is {@link RoutingPlan.Outcome#UNKNOWN_NUMBER} with the reason.
     */
    public RoutingPlan route(CallContext call) {
        return route(call, null);
    }

    /**
     * {@link #route} for a cluster node ({@link #sharesCallers()}): a campaign with repeat
     * callers ({@code same_handler}, {@code new_handler}) asks the shared caller index for the
     * caller's last handler without waiting on it; the stage completes on the store client's
     * thread. When the store fails or times out, the campaign's {@code on_shared_state_error}
     * decides: {@code local} reads this node's caller index, {@code reject} completes with a plan
     * of outcome {@link RoutingPlan.Outcome#UNAVAILABLE}. Any other call's plan is complete at once.
     */
    public CompletionStage<RoutingPlan> routeShared(CallContext call) {
        SharedCallers callers = sharedCallers;
        if (callers == null) {
            return CompletableFuture.completedFuture(route(call));
        }
        RepeatLookup lookup = new RepeatLookup();
        RoutingPlan plan = route(call, lookup);
        if (plan != null) {
            return CompletableFuture.completedFuture(plan);
        }
        return callers.lastHandler(lookup.campaign.id, lookup.tags.caller(), lookup.sinceMs)
                .handle((handlerId, error) -> {
                    if (error == null) {
                        HandlerRoute handler = handlerId == null ? null : lookup.snapshot.handler(handlerId);
                        return decide(lookup, handler == null ? -1 : handler.code);
                    }
                    CampaignRoute campaign = lookup.campaign;
                    if (campaign.config.onSharedStateError() == SharedStatePolicy.LOCAL) {
                        sharedStateFallbacks.increment();
                        return decide(lookup, stores.callers().lastHandler(lookup.tags.caller(), campaign.code,
                                lookup.sinceMs));
                    }
                    sharedStateRejections.increment();
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    return RoutingPlan.unavailable(this, lookup.call, lookup.nowMs, campaign, lookup.source,
                            lookup.tags, "shared state unavailable: " + cause.getClass().getSimpleName());
                });
    }

    /** A decision that waits for the shared repeat-caller lookup (cluster nodes only). */
    private static final class RepeatLookup {
        Snapshot snapshot;
        CallContext call;
        long nowMs;
        CampaignRoute campaign;
        String source;
        CallTags tags;
        long sinceMs;
    }

    private RoutingPlan decide(RepeatLookup l, int lastHandler) {
        return decide(l.snapshot, l.call, l.nowMs, l.campaign, l.source, l.tags, lastHandler);
    }

    /**
     * Decides, or, when {@code lookup} is given and the decision needs the caller's last handler,
     * fills {@code lookup} and returns null (the shared index is asked then).
     */
    private RoutingPlan route(CallContext call, RepeatLookup lookup) {
        Snapshot s = snapshot;
        long nowMs = call.nowMs() == CallContext.NO_TIME ? clock.millis() : call.nowMs();
        PhoneNumbers phones = s.phones;
        long dialed = phones.parse(call.dialedNumber());
        long caller = phones.parse(call.callerNumber());
        if (dialed < 0) {
            return RoutingPlan.unknown(this, call, nowMs, PhoneNumbers.INVALID, caller, call.dialedNumber() == null
                    ? "no dialed number" : "dialed number \"" + call.dialedNumber() + "\" is not a phone number");
        }
        long packed = s.lookup(dialed, stores.numbers());
        if (packed == NumberStore.NOT_FOUND) {
            QuarantinedNumber quarantined = writable ? stores.quarantine().called(dialed, nowMs)
                    : stores.quarantine().find(dialed).orElse(null);
            if (quarantined != null) {
                return RoutingPlan.quarantined(this, call, nowMs, dialed, caller);
            }
            return RoutingPlan.unknown(this, call, nowMs, dialed, caller, PhoneNumbers.format(dialed) + " is not a tracked number");
        }
        CampaignRoute campaign = s.campaign(NumberStore.campaignCode(packed));
        if (campaign == null) {
            return RoutingPlan.unknown(this, call, nowMs, dialed, caller, PhoneNumbers.format(dialed)
                    + " is tracked for campaign \"" + stores.symbols().name(SymbolTable.Kind.CAMPAIGN,
                    NumberStore.campaignCode(packed)) + "\", which is not configured");
        }
        int sourceCode = NumberStore.sourceCode(packed);
        String source = s.source(sourceCode);
        if (source == null) {
            source = stores.symbols().name(SymbolTable.Kind.SOURCE, sourceCode);
        }
        Attribution attribution = call.visitor() != null ? call.visitor() : pools.attribute(dialed, nowMs);
        if (attribution != null) {
            source = attribution.source();
        }
        CallTags tags = new CallTags(call, dialed, caller, campaign.id, source, attribution);
        String rejection = campaign.rejection(tags);
        if (rejection == null && tags.caller() >= 0 && stores.blockedCallers().contains(tags.caller())) {
            rejection = SPAM_CALLER_REASON;
        }
        if (rejection != null) {
            return RoutingPlan.rejected(this, call, nowMs, campaign, source, tags, rejection);
        }
        RepeatCallers repeat = campaign.repeat;
        int lastHandler = -1;
        if (repeat != null && repeat.route() != RepeatCallers.Route.ANY && tags.caller() >= 0) {
            long since = repeat.window().isForever() ? Long.MIN_VALUE : nowMs - repeat.window().millis();
            if (lookup != null) {
                lookup.snapshot = s;
                lookup.call = call;
                lookup.nowMs = nowMs;
                lookup.campaign = campaign;
                lookup.source = source;
                lookup.tags = tags;
                lookup.sinceMs = since;
                return null;
            }
            lastHandler = stores.callers().lastHandler(tags.caller(), campaign.code, since);
        }
        return decide(s, call, nowMs, campaign, source, tags, lastHandler);
    }

    /** Checks and orders the campaign's handlers; {@code lastHandler} is the repeat caller's (a handler code), or -1. */
    private RoutingPlan decide(Snapshot s, CallContext call, long nowMs, CampaignRoute campaign, String source,
                               CallTags tags, int lastHandler) {
        DecisionScratch work = scratch.get();
        LinkRoute[] links = campaign.links;
        work.startCall(links.length, s.criteria);
        int[] eligible = work.eligible;
        byte[] reasons = new byte[links.length];
        int eligibleCount = 0;
        RepeatCallers repeat = campaign.repeat;
        for (int i = 0; i < links.length; i++) {
            LinkRoute link = links[i];
            int reason = link.handler.check(nowMs, tags, work, s.healthEnabled);
            if (reason == HandlerRoute.ELIGIBLE && link.repeatSkip != null && link.handler.code == lastHandler) {
                reason = HandlerRoute.REPEAT;
            }
            if (reason == HandlerRoute.ELIGIBLE) {
                eligible[eligibleCount++] = i;
            } else {
                reasons[i] = (byte) reason;
            }
        }
        int[] order = Arrays.copyOf(eligible, eligibleCount);
        int ordered = 0;
        if (lastHandler >= 0 && repeat.route() == RepeatCallers.Route.SAME_HANDLER) {
            for (int i = 0; i < eligibleCount; i++) {
                if (links[order[i]].handler.code == lastHandler) {
                    int repeatLink = order[i];
                    System.arraycopy(order, 0, order, 1, i);
                    order[0] = repeatLink;
                    ordered = 1;
                    break;
                }
            }
        }
        return RoutingPlan.routed(this, call, nowMs, campaign, source, tags, order, ordered, reasons);
    }

    /**
     * Loads a new configuration: compiles a whole new snapshot, then swaps it in. On error
     * the old configuration stays. Counters, health and live reservations carry over.
     *
     * @throws ConfigException when the new configuration changes what needs a restart
     *                         ({@code server.data_dir}, {@code server.stores}) or cannot be applied
     */
    public void reload(RouterConfig next) throws ConfigException {
        synchronized (reloadLock) {
            ServerSettings current = snapshot.config.server();
            List<ConfigError> errors = new ArrayList<>();
            if (!next.server().dataDir().equals(current.dataDir())) {
                errors.add(next.errorAt("server.data_dir", "cannot change while running (running with "
                        + current.dataDir() + "); restart the router"));
            }
            if (!next.server().stores().sameSizes(current.stores())) {
                errors.add(next.errorAt("server.stores", "max_numbers, max_counters, max_callers and max_sessions cannot change"
                        + " while running; restart the router"));
            }
            errors.addAll(quarantineConflicts(next));
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            Snapshot compiled;
            try {
                compiled = compile(next);
            } catch (StoreException e) {
                throw new ConfigException(next.errorAt("numbers", "cannot apply: " + e.getMessage()));
            }
            health.settings(next.server().health());
            pools.reconfigure(next.pools(), next.server().tracking().maxSessionsPerAddress(), clock.millis());
            snapshot = compiled;
        }
    }

    /**
     * Takes an imported number out of its campaign into quarantine (see {@link NumberRemoval}),
     * under the reload lock so that a reload does not assign it meanwhile.
     *
     * @throws IllegalStateException on a read-only router
     */
    public NumberRemoval.Result removeNumber(long e164, Consumer<QuarantinedNumber> audit) {
        if (!writable) {
            throw new IllegalStateException("a read-only router does not remove numbers");
        }
        synchronized (reloadLock) {
            return new NumberRemoval(snapshot.config, stores.numbers(), stores.quarantine()).remove(e164, clock.millis(),
                    audit);
        }
    }

    /** The configuration in use. */
    public RouterConfig config() {
        return snapshot.config;
    }

    /** Handler health; the server reports its probe results here. */
    public HandlerHealth health() {
        return health;
    }

    /** Postback conversions. */
    public ConversionService conversions() {
        return conversions;
    }

    /**
     * Number pools and their visitor sessions (the tracking endpoint's domain); a reload
     * rebuilds the pools and keeps live leases.
     */
    public PoolSessions pools() {
        return pools;
    }

    /** The tracked numbers store (shared with {@code router numbers import}). */
    public NumberStore numbers() {
        return stores.numbers();
    }

    /** Numbers removed from their campaigns, waiting until they may be assigned again. */
    public QuarantineStore quarantine() {
        return stores.quarantine();
    }

    /** Calls and marked calls per number and day (the spam share). */
    public NumberDayStore numberDays() {
        return stores.numberDays();
    }

    /** Callers blocked as spam, refused by every campaign with reason {@link #SPAM_CALLER_REASON}. */
    public BlockedCallerStore blockedCallers() {
        return stores.blockedCallers();
    }

    /** Where the stores live. */
    public Path dataDir() {
        return stores.dataDir();
    }

    /**
     * A handler's caps and how much of each is used now.
     *
     * @throws IllegalArgumentException for an unknown handler
     */
    public List<CapUsage> capUsage(String handlerId, long nowMs) {
        HandlerRoute handler = handler(handlerId);
        long[] windows = new long[4];
        handler.windows.windowIds(nowMs, windows);
        Caps caps = handler.caps;
        List<CapUsage> usage = new ArrayList<>(5);
        usage.add(new CapUsage("concurrency", caps.concurrency(), handler.counters.live()));
        for (CapWindow window : CapWindow.values()) {
            int limit = switch (window) {
                case HOURLY -> caps.hourly();
                case DAILY -> caps.daily();
                case MONTHLY -> caps.monthly();
                case TOTAL -> caps.total();
            };
            usage.add(new CapUsage(window.capName(), limit, handler.counters.used(window, windows)));
        }
        return usage;
    }

    /**
     * Resets a handler's count in one window to zero (for the {@code total} cap, the only
     * way it ever goes down).
     *
     * @throws IllegalArgumentException for an unknown handler
     */
    public void resetCap(String handlerId, CapWindow window) {
        checkWritable();
        handler(handlerId).counters.reset(window);
    }

    /**
     * Removes caller-index entries no campaign's repeat window or dedupe window can use any
     * more (entries of campaigns no longer configured go too).
     *
     * @return how many were removed
     */
    public int purgeCallers(long nowMs) {
        checkWritable();
        Snapshot s = snapshot;
        Map<Integer, Long> retention = new HashMap<>();
        for (CampaignRoute campaign : s.campaigns()) {
            retention.put(campaign.code, campaign.retentionMs());
        }
        int removed = stores.callers().purge(nowMs, code -> retention.getOrDefault(code, 0L));
        if (removed > 0) {
            callersFullLogged.set(false);
        }
        return removed;
    }

    /** How full each store is (numbers, counters, callers, sessions, symbols), for metrics and readiness. */
    public List<StoreCapacity> storeCapacities() {
        return stores.capacities();
    }

    private HandlerRoute handler(String handlerId) {
        HandlerRoute handler = snapshot.handler(handlerId);
        if (handler == null) {
            throw new IllegalArgumentException("unknown handler \"" + handlerId + "\"");
        }
        return handler;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    CallerIndex callers() {
        return stores.callers();
    }

    /**
     * Remembers who answered a repeat caller. A full caller index does not fail the call it
     * is told about (the handler already answered): the caller is not remembered, the
     * refusal is counted ({@link StoreCapacity#refused()}) and logged once until a purge
     * makes room.
     */
    void recordAnswered(long caller, CampaignRoute campaign, HandlerRoute handler, long nowMs) {
        SharedCallers callers = sharedCallers;
        if (callers != null) {
            // Kept locally too: the index a campaign with on_shared_state_error: local falls back to.
            callers.recordAnswered(campaign.id, caller, handler.id, nowMs, campaign.retentionMs());
        }
        try {
            stores.callers().recordAnswered(caller, campaign.code, handler.code, nowMs);
        } catch (StoreFullException e) {
            callersFull(e);
        }
    }

    /** Logs that the caller index refused a new caller, once until a purge makes room (refusals are counted). */
    void callersFull(StoreFullException e) {
        if (callersFullLogged.compareAndSet(false, true)) {
            LOG.warn("new callers are not remembered (repeat callers, conversion dedupe): {}", e.getMessage());
        }
    }

    /**
     * Test seam for failures on a call's path: closes the running router's caller index (see
     * {@link Stores#closeCallerIndex}), so the next repeat caller answered, conversion dedupe or
     * attempt conversion throws {@code ChronicleHashClosedException}. Public only because the
     * server's integration tests live in another module; nothing in the router calls it, and the
     * router should be closed after it.
     */
    public void closeCallerIndex() {
        checkWritable();
        stores.closeCallerIndex();
    }

    /** Orders one priority group of a plan by weight (see {@link WeightedOrder}). */
    void shuffle(int[] order, int from, int to, LinkRoute[] links) {
        WeightedOrder.shuffle(order, from, to, links, scratch.get().weights(links.length), random);
    }

    long randomCallHash() {
        long hash = random.nextLong();
        return hash == 0 ? 1 : hash;
    }

    /**
     * Counts caps in the cluster's shared store from now on (set once at start, before the
     * first call; a router without it keeps every count local).
     */
    public void shareCaps(SharedCaps caps) {
        this.shared = caps;
    }

    SharedCaps sharedCaps() {
        return shared;
    }

    /**
     * Keeps the pools' leases and visitor sessions in the cluster's shared store from now on
     * (set once at start, before the tracking listener and the first call).
     */
    public void sharePools(SharedPools store) {
        this.sharedPools = new SharedPoolSessions(pools, store);
    }

    /** The pools' sessions in the cluster's shared store, or null without {@code cluster:}. */
    public SharedPoolSessions sharedPools() {
        return sharedPools;
    }

    /**
     * With a cluster, the visitor session a call to a pool number finds in the shared store, to
     * give {@link #route} through {@link CallContext.Builder#visitor}; null when the call needs
     * no look-up (no {@code cluster:}, or the dialed number is not a pool number with sessions),
     * so a call without pools costs one volatile read here. When the store fails, the pool's
     * campaign's {@code on_shared_state_error} decides: {@code local} completes with the pool's
     * attribution tagged {@code pool_attribution_unavailable} (counted); {@code reject} fails the
     * stage with a {@link SharedStateException}. Completes on the store client's thread.
     */
    public CompletionStage<Attribution> sharedVisitor(String dialedNumber) {
        SharedPoolSessions shared = sharedPools;
        if (shared == null) {
            return null;
        }
        long dialed = snapshot.phones.parse(dialedNumber);
        CompletionStage<Attribution> found = dialed < 0 ? null : shared.attribute(dialed);
        if (found == null) {
            return null;
        }
        return found.handle((visitor, error) -> {
            if (error == null) {
                return visitor;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            if (policyOf(shared.campaignOf(dialed)) == SharedStatePolicy.LOCAL) {
                poolAttributionFallbacks.increment();
                return shared.unavailable(dialed);
            }
            sharedStateRejections.increment();
            throw new SharedStateException("shared state unavailable: " + cause.getClass().getSimpleName(), cause);
        });
    }

    private SharedStatePolicy policyOf(String campaignId) {
        for (CampaignConfig campaign : snapshot.config.campaigns()) {
            if (campaign.id().equals(campaignId)) {
                return campaign.onSharedStateError();
            }
        }
        return SharedStatePolicy.REJECT;
    }

    /**
     * The visitor's number goes back to its pool (a call ended with {@code release_on_call_end}):
     * in the shared store with a cluster (not waited for; a failure is counted by the store and
     * the lease ends on its own), else in {@link #pools}.
     */
    public void releaseVisitor(String sessionId, long nowMs) {
        SharedPoolSessions shared = sharedPools;
        if (shared != null) {
            shared.release(sessionId);
        } else {
            pools.release(sessionId, nowMs);
        }
    }

    /** Calls to a pool number attributed to the pool only because the shared store failed (policy {@code local}). */
    public long poolAttributionFallbacks() {
        return poolAttributionFallbacks.sum();
    }

    /**
     * Keeps repeat-caller memory and conversion dedupe in the cluster's shared caller index from
     * now on (set once at start, before the first call; this node's own index is still written,
     * for the fallbacks).
     */
    public void shareCallers(SharedCallers callers) {
        this.sharedCallers = callers;
    }

    /** Whether the caller index is the cluster's (the server then routes with {@link #routeShared}). */
    public boolean sharesCallers() {
        return sharedCallers != null;
    }

    SharedCallers sharedCallers() {
        return sharedCallers;
    }

    /** Conversions deduplicated in this node's caller index because the shared one failed or timed out. */
    public long sharedDedupeFallbacks() {
        return sharedDedupeFallbacks.sum();
    }

    /** Slots taken from this node's own counters because the shared store failed (policy {@code local}). */
    public long sharedStateFallbacks() {
        return sharedStateFallbacks.sum();
    }

    /** Calls refused because the shared store failed (policy {@code reject}). */
    public long sharedStateRejections() {
        return sharedStateRejections.sum();
    }

    /** Counts one event now in the handler's windows at {@code atMs}, without a slot (a conversion after the call). */
    void countNow(HandlerRoute handler, long atMs) {
        long[] windows = new long[4];
        handler.windows.windowIds(atMs, windows);
        SharedCaps caps = shared;
        if (caps == null) {
            handler.counters.commitNow(windows);
        } else {
            long[] ends = new long[4];
            handler.windows.windowEnds(atMs, ends);
            caps.commitNow(handler.id, windows, ends);
        }
    }

    void checkWritable() {
        if (!writable) {
            throw new IllegalStateException("this router only explains decisions: it cannot reserve or count");
        }
    }

    /** Closes the stores; the router cannot be used afterwards. */
    @Override
    public void close() {
        pools.close();
        stores.close();
    }
}
