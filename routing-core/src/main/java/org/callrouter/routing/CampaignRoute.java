package org.callrouter.routing;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.callrouter.routing.config.CampaignConfig;
import org.callrouter.routing.config.ConversionRule;
import org.callrouter.routing.config.RepeatCallers;
import org.callrouter.routing.criteria.Criterion;

/**
 * A campaign compiled for the hot path: its handlers sorted by priority (ties keep the
 * configuration's order), blocked callers as a sorted {@code long[]}, requirements with
 * their rejection reasons built in advance.
 */
final class CampaignRoute {

    final CampaignConfig config;
    final String id;
    final int code;
    final LinkRoute[] links;
    final RepeatCallers repeat;
    final ConversionRule sourceRule;
    private final long[] blocked;
    private final Criterion[] require;
    private final String[] requireReasons;

    CampaignRoute(CampaignConfig config, int code, List<LinkRoute> links) {
        this.config = config;
        this.id = config.id();
        this.code = code;
        this.links = links.toArray(new LinkRoute[0]);
        Arrays.sort(this.links, Comparator.comparingInt(l -> l.priority));
        this.repeat = config.repeatCallers();
        this.sourceRule = config.sourceConversion();
        this.blocked = config.blockedCallers().stream().mapToLong(n -> Long.parseLong(n.substring(1))).sorted().toArray();
        this.require = config.require().toArray(new Criterion[0]);
        this.requireReasons = new String[require.length];
        for (int i = 0; i < require.length; i++) {
            requireReasons[i] = "requirement not met: " + require[i].text();
        }
    }

    /** Why the call is rejected by the campaign's caller rules, or {@code null}. */
    String rejection(CallTags tags) {
        if (!config.enabled()) {
            return "campaign disabled";
        }
        long caller = tags.caller();
        if (caller < 0 && config.rejectAnonymous()) {
            return "anonymous caller";
        }
        if (caller >= 0 && blocked.length > 0 && Arrays.binarySearch(blocked, caller) >= 0) {
            return "blocked caller";
        }
        for (int i = 0; i < require.length; i++) {
            if (!require[i].test(tags)) {
                return requireReasons[i];
            }
        }
        return null;
    }

    /** How long caller-index entries of this campaign matter (repeat window, dedupe windows). */
    long retentionMs() {
        long retention = 0;
        if (repeat != null) {
            retention = Math.max(retention, repeat.window().millis());
        }
        retention = Math.max(retention, dedupe(sourceRule));
        for (LinkRoute link : links) {
            retention = Math.max(retention, dedupe(link.handlerRule));
        }
        return retention;
    }

    private static long dedupe(ConversionRule rule) {
        return rule == null || rule.dedupe() == null ? 0 : rule.dedupe().millis();
    }
}
