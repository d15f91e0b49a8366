package org.callrouter.routing;

import java.util.Map;

import org.callrouter.routing.config.RouterConfig;
import org.callrouter.routing.phone.PhoneNumbers;
import org.callrouter.routing.store.NumberStore;

/**
 * Everything one configuration compiles to, immutable once built: a reload builds a new
 * snapshot and swaps one reference, so a call sees one configuration from start to end.
 */
final class Snapshot {

    final RouterConfig config;
    final PhoneNumbers phones;
    final boolean healthEnabled;
    final int maxLinks;
    /** Distinct criteria over all handlers (see {@link DecisionScratch}). */
    final int criteria;
    private final CampaignRoute[] campaignsByCode;
    private final String[] sourcesByCode;
    private final Map<String, CampaignRoute> campaignsById;
    private final Map<String, HandlerRoute> handlersById;
    /** Numbers of the YAML when the store is not written (an inspecting router); else null. */
    private final Map<Long, Long> yamlNumbers;

    Snapshot(RouterConfig config, PhoneNumbers phones, CampaignRoute[] campaignsByCode, String[] sourcesByCode,
             Map<String, CampaignRoute> campaignsById, Map<String, HandlerRoute> handlersById,
             Map<Long, Long> yamlNumbers, int criteria) {
        this.config = config;
        this.phones = phones;
        this.healthEnabled = config.server().health().enabled();
        this.campaignsByCode = campaignsByCode;
        this.sourcesByCode = sourcesByCode;
        this.campaignsById = Map.copyOf(campaignsById);
        this.handlersById = Map.copyOf(handlersById);
        this.yamlNumbers = yamlNumbers;
        this.criteria = criteria;
        int max = 0;
        for (CampaignRoute campaign : campaignsById.values()) {
            max = Math.max(max, campaign.links.length);
        }
        this.maxLinks = max;
    }

    /** The packed number entry (see {@link NumberStore#lookup}). */
    long lookup(long dialed, NumberStore numbers) {
        if (yamlNumbers != null) {
            Long packed = yamlNumbers.get(dialed);
            if (packed != null) {
                return packed;
            }
        }
        return numbers.lookup(dialed);
    }

    CampaignRoute campaign(int code) {
        return code >= 0 && code < campaignsByCode.length ? campaignsByCode[code] : null;
    }

    CampaignRoute campaign(String id) {
        return campaignsById.get(id);
    }

    /** The configured source id of a code, or {@code null}. */
    String source(int code) {
        return code >= 0 && code < sourcesByCode.length ? sourcesByCode[code] : null;
    }

    HandlerRoute handler(String id) {
        return handlersById.get(id);
    }

    Iterable<CampaignRoute> campaigns() {
        return campaignsById.values();
    }
}
