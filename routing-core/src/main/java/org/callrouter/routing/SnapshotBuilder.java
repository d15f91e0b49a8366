package org.callrouter.routing;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.callrouter.routing.caps.CapCounters;
import org.callrouter.routing.caps.CounterCells;
import org.callrouter.routing.caps.WindowClock;
import org.callrouter.routing.config.CampaignConfig;
import org.callrouter.routing.config.ConversionRule;
import org.callrouter.routing.config.HandlerConfig;
import org.callrouter.routing.config.HandlerLink;
import org.callrouter.routing.config.NumberConfig;
import org.callrouter.routing.config.RepeatCallers;
import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.config.SourceConfig;
import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.store.NumberStore;
import org.callrouter.routing.store.QuarantineStore;
import org.callrouter.routing.store.Stores;
import org.callrouter.routing.store.SymbolTable;
import org.callrouter.routing.store.SymbolTable.Kind;

/**
 * Compiles a {@link RouterConfig} into a {@link Snapshot}. Handler state that must outlive
 * a reload (cap counters) is looked up by handler id in {@code counters}, so live
 * reservations keep counting against the same objects.
 */
final class SnapshotBuilder {

    private final Stores stores;
    private final boolean writable;
    private final Map<String, CapCounters> counters;
    private final HandlerHealth health;
    private final Map<String, Integer> virtualCodes = new HashMap<>();
    private final Map<Kind, Integer> lastVirtual = new HashMap<>();

    SnapshotBuilder(Stores stores, boolean writable, Map<String, CapCounters> counters, HandlerHealth health) {
        this.stores = stores;
        this.writable = writable;
        this.counters = counters;
        this.health = health;
    }

    Snapshot build(RouterConfig config) {
        PhoneNumbers phones = new PhoneNumbers(config.defaultRegion());
        Map<String, HandlerRoute> handlers = new HashMap<>();
        Map<ZoneId, WindowClock> clocks = new HashMap<>();
        Map<Criterion, Integer> criterionIds = new HashMap<>();
        int nodes = config.cluster() == null ? 1 : config.cluster().nodes();
        for (HandlerConfig handler : config.handlers()) {
            int[] ids = handler.criteria().stream()
                    .mapToInt(c -> criterionIds.computeIfAbsent(c, key -> criterionIds.size())).toArray();
            int code = code(Kind.HANDLER, handler.id());
            CapCounters state = counters.computeIfAbsent(handler.id(), id -> new CapCounters(cells(code, id)));
            handlers.put(handler.id(), new HandlerRoute(handler, code, state, health.state(handler.id()),
                    clocks.computeIfAbsent(handler.timeZone(), WindowClock::new), ids, nodes));
        }
        Map<String, CampaignRoute> campaigns = new HashMap<>();
        List<CampaignRoute> byCode = new ArrayList<>();
        for (CampaignConfig campaign : config.campaigns()) {
            List<LinkRoute> links = new ArrayList<>();
            for (HandlerLink link : campaign.handlers()) {
                HandlerRoute handler = handlers.get(link.handlerId());
                ConversionRule rule = link.conversion() != null ? link.conversion()
                        : handler.config.conversion() != null ? handler.config.conversion() : campaign.handlerConversion();
                links.add(new LinkRoute(handler, link.priority(), link.weight(), rule, repeatReason(campaign.repeatCallers())));
            }
            CampaignRoute route = new CampaignRoute(campaign, code(Kind.CAMPAIGN, campaign.id()), links);
            campaigns.put(campaign.id(), route);
            byCode.add(route);
        }
        CampaignRoute[] campaignArray = new CampaignRoute[byCode.stream().mapToInt(c -> c.code + 1).max().orElse(0)];
        byCode.forEach(c -> campaignArray[c.code] = c);
        Map<Integer, String> sources = new HashMap<>();
        for (SourceConfig source : config.sources()) {
            sources.put(code(Kind.SOURCE, source.id()), source.id());
        }
        String[] sourceArray = new String[sources.keySet().stream().mapToInt(c -> c + 1).max().orElse(0)];
        sources.forEach((code, id) -> sourceArray[code] = id);
        Map<Long, Long> overlay = writable ? null : yamlOverlay(config);
        return new Snapshot(config, phones, campaignArray, sourceArray, campaigns, handlers, overlay, criterionIds.size());
    }

    private static String repeatReason(RepeatCallers repeat) {
        return repeat == null || repeat.route() != RepeatCallers.Route.NEW_HANDLER ? null
                : "repeat: answered this caller within " + repeat.window() + " (new_handler)";
    }

    /** The handler's persisted counters; none for a handler only this inspecting process knows. */
    private CounterCells cells(int code, String handlerId) {
        return stores.symbols().code(Kind.HANDLER, handlerId) >= 0 ? stores.counters().cells(code) : CounterCells.NONE;
    }

    /**
     * The code of an id: interned when the stores are written; for an inspecting router an
     * id no process has interned yet gets a code above every stored one, valid in this
     * process only (no stored entry can refer to it).
     */
    private int code(Kind kind, String id) {
        SymbolTable symbols = stores.symbols();
        if (writable) {
            return symbols.intern(kind, id);
        }
        int code = symbols.code(kind, id);
        if (code >= 0) {
            return code;
        }
        return virtualCodes.computeIfAbsent(kind + ":" + id, key -> {
            int next = lastVirtual.computeIfAbsent(kind, symbols::lastCode) + 1;
            lastVirtual.put(kind, next);
            return next;
        });
    }

    private Map<Long, Long> yamlOverlay(RouterConfig config) {
        Map<Long, Long> overlay = new HashMap<>();
        for (NumberConfig number : config.trackedNumbers()) {
            overlay.put(Long.parseLong(number.number().substring(1)), NumberStore.pack(
                    code(Kind.CAMPAIGN, number.campaign()), code(Kind.SOURCE, number.source()), true));
        }
        return overlay;
    }

    /**
     * Writes the YAML's numbers (static and pool numbers) into the store (they win over imported entries),
     * takes them out of quarantine (the caller checked they may be assigned again), and moves entries an
     * earlier YAML added that this one no longer lists into quarantine.
     *
     * @return how many numbers were removed (and quarantined)
     */
    static int applyYamlNumbers(RouterConfig config, NumberStore numbers, QuarantineStore quarantine,
                                SymbolTable symbols, long nowMs) {
        Set<Long> listed = new HashSet<>();
        for (NumberConfig number : config.trackedNumbers()) {
            long e164 = Long.parseLong(number.number().substring(1));
            listed.add(e164);
            quarantine.release(e164);
            numbers.put(e164, symbols.intern(Kind.CAMPAIGN, number.campaign()),
                    symbols.intern(Kind.SOURCE, number.source()), true);
        }
        List<Long> stale = new ArrayList<>();
        numbers.forEachFromYaml(e164 -> {
            if (!listed.contains(e164)) {
                stale.add(e164);
            }
        });
        for (long e164 : stale) {
            long packed = numbers.lookup(e164);
            if (packed != NumberStore.NOT_FOUND) {
                quarantine.quarantine(e164, NumberStore.campaignCode(packed), nowMs);
            }
            numbers.remove(e164);
        }
        return stale.size();
    }
}
