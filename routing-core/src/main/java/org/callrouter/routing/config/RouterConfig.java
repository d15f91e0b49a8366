package org.callrouter.routing.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated configuration file: the server settings and the routing model.
 * Immutable; a reload loads a new one.
 */
public final class RouterConfig {

    private final Path file;
    private final ServerSettings server;
    private final String defaultRegion;
    private final List<SourceConfig> sources;
    private final List<HandlerConfig> handlers;
    private final List<CampaignConfig> campaigns;
    private final List<NumberConfig> numbers;
    private final Map<String, SourceConfig> sourcesById = new LinkedHashMap<>();
    private final Map<String, HandlerConfig> handlersById = new LinkedHashMap<>();
    private final Map<String, CampaignConfig> campaignsById = new LinkedHashMap<>();
    private final Locations locations;
    private final List<PoolConfig> pools;
    private final AttributionConfig attribution;
    private final List<TrunkConfig> trunks;
    private final Map<String, TrunkConfig> trunksById = new LinkedHashMap<>();
    private final NumberPolicy numberPolicy;
    private final ClusterConfig cluster;

    RouterConfig(Path file, ServerSettings server, String defaultRegion, List<SourceConfig> sources,
                 List<HandlerConfig> handlers, List<CampaignConfig> campaigns, List<NumberConfig> numbers,
                 AttributionConfig attribution, List<TrunkConfig> trunks, NumberPolicy numberPolicy,
                 ClusterConfig cluster, Locations locations) {
        this.file = file;
        this.server = server;
        this.defaultRegion = defaultRegion;
        this.sources = List.copyOf(sources);
        this.handlers = List.copyOf(handlers);
        this.campaigns = List.copyOf(campaigns);
        this.numbers = List.copyOf(numbers);
        this.attribution = attribution;
        this.trunks = List.copyOf(trunks);
        trunks.forEach(t -> trunksById.putIfAbsent(t.id(), t));
        this.numberPolicy = numberPolicy;
        this.cluster = cluster;
        this.locations = locations;
        sources.forEach(s -> sourcesById.putIfAbsent(s.id(), s));
        handlers.forEach(h -> handlersById.putIfAbsent(h.id(), h));
        campaigns.forEach(c -> campaignsById.putIfAbsent(c.id(), c));
        this.pools = campaigns.stream().flatMap(c -> c.pools().stream()).toList();
    }

    /** The file it was loaded from, as named to the loader. */
    public Path file() {
        return file;
    }

    /** The {@code server:} section. */
    public ServerSettings server() {
        return server;
    }

    /** {@code default_region} [US]: ISO region for numbers written without a country code. */
    public String defaultRegion() {
        return defaultRegion;
    }

    /** {@code sources:}, in file order. */
    public List<SourceConfig> sources() {
        return sources;
    }

    /** {@code handlers:}, in file order. */
    public List<HandlerConfig> handlers() {
        return handlers;
    }

    /** {@code campaigns:}, in file order. */
    public List<CampaignConfig> campaigns() {
        return campaigns;
    }

    /** Tracked numbers listed in the YAML (bulk numbers are imported into the store instead). */
    public List<NumberConfig> numbers() {
        return numbers;
    }

    /** The {@code attribution:} section (defaults when absent). */
    public AttributionConfig attribution() {
        return attribution;
    }

    /** {@code trunks:}, the outbound SIP trunks, in file order. */
    public List<TrunkConfig> trunks() {
        return trunks;
    }

    /** The outbound trunk with this id. */
    public Optional<TrunkConfig> trunk(String id) {
        return Optional.ofNullable(trunksById.get(id));
    }

    /** The {@code number_policy:} section (defaults when absent). */
    public NumberPolicy numberPolicy() {
        return numberPolicy;
    }

    /** The {@code cluster:} section, or null: without it caps and concurrency stay local to this router. */
    public ClusterConfig cluster() {
        return cluster;
    }

    /** Every number pool of every campaign, in file order. */
    public List<PoolConfig> pools() {
        return pools;
    }

    /**
     * The tracked numbers the configuration file defines: {@link #numbers()}, then every pool's
     * numbers and overflow number (tracked for the pool's campaign and source).
     */
    public List<NumberConfig> trackedNumbers() {
        List<NumberConfig> all = new ArrayList<>(numbers);
        for (PoolConfig pool : pools) {
            pool.numbers().forEach(n -> all.add(new NumberConfig(n, pool.campaign(), pool.source(), false)));
            if (pool.overflowNumber() != null) {
                all.add(new NumberConfig(pool.overflowNumber(), pool.campaign(), pool.source(), false));
            }
        }
        return all;
    }

    /**
     * The field path that assigns a tracked number ({@code numbers[2].number},
     * {@code campaigns[0].pools[1].numbers}), for errors about it; {@code numbers} when none does.
     */
    public String pathOf(String e164) {
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i).number().equals(e164)) {
                return "numbers[" + i + "].number";
            }
        }
        for (int c = 0; c < campaigns.size(); c++) {
            List<PoolConfig> campaignPools = campaigns.get(c).pools();
            for (int p = 0; p < campaignPools.size(); p++) {
                PoolConfig pool = campaignPools.get(p);
                if (e164.equals(pool.overflowNumber())) {
                    return "campaigns[" + c + "].pools[" + p + "].overflow_number";
                }
                if (pool.numbers().contains(e164)) {
                    return "campaigns[" + c + "].pools[" + p + "].numbers";
                }
            }
        }
        return "numbers";
    }

    /** The E.164 numbers marked {@code canary: true}, with their campaign. */
    public Map<String, String> canaryNumbers() {
        Map<String, String> canaries = new LinkedHashMap<>();
        numbers.stream().filter(NumberConfig::canary).forEach(n -> canaries.put(n.number(), n.campaign()));
        return canaries;
    }

    /** The source with this id. */
    public Optional<SourceConfig> source(String id) {
        return Optional.ofNullable(sourcesById.get(id));
    }

    /** The handler with this id. */
    public Optional<HandlerConfig> handler(String id) {
        return Optional.ofNullable(handlersById.get(id));
    }

    /** The campaign with this id. */
    public Optional<CampaignConfig> campaign(String id) {
        return Optional.ofNullable(campaignsById.get(id));
    }

    /**
     * An error located at a field path of this file (or its nearest written ancestor),
     * for problems found after loading.
     */
    public ConfigError errorAt(String path, String message) {
        YamlNode.Mark mark = locations.mark(path);
        return new ConfigError(file.toString(), mark.line(), mark.column(), path, message);
    }
}
