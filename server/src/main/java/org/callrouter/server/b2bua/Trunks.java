package org.callrouter.server.b2bua;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.TrunkConfig;

/**
 * The configured outbound trunks by id. A reload keeps the trunk objects of ids that stay (so
 * their counts and live calls go on) and drops the others (calls through them finish on the
 * object they hold).
 */
public final class Trunks {

    private volatile Map<String, Trunk> byId = Map.of();

    /** Takes a loaded or reloaded {@code trunks:} list (on the SIP loop, or before it handles calls). */
    public void configure(List<TrunkConfig> configs) {
        final Map<String, Trunk> next = new LinkedHashMap<>();
        for (TrunkConfig config : configs) {
            final Trunk kept = byId.get(config.id());
            if (kept != null) {
                kept.reconfigure(config);
                next.put(config.id(), kept);
            } else {
                next.put(config.id(), new Trunk(config));
            }
        }
        byId = Collections.unmodifiableMap(next);
    }

    /** The trunk with this id, or null. */
    public Trunk get(String id) {
        return id == null ? null : byId.get(id);
    }

    /** Every configured trunk, in configuration order. */
    public Collection<Trunk> all() {
        return byId.values();
    }
}
