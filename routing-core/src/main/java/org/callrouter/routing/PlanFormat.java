package org.callrouter.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * How {@code router explain} and the admin API's {@code /v1/explain} show a plan, so both
 * say the same thing.
 */
public final class PlanFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanFormat() {
    }

    /**
     * {@code {"number":…,"campaign":…,"source":…,"candidates":[{"handler":…,"priority":…,"weight":…}],
     * "skipped":[{"handler":…,"reason":…}]}}; a rejected call also has {@code "rejected": reason}.
     */
    public static String json(RoutingPlan plan) {
        return json(plan, null);
    }

    /**
     * As {@link #json(RoutingPlan)}; a handler skipped as {@code unhealthy} also has
     * {@code "health": "<why>"} from {@code health} (the serving router's; null leaves it out).
     */
    public static String json(RoutingPlan plan, HandlerHealth health) {
        return json(plan, health, uri -> null);
    }

    /**
     * As {@link #json(RoutingPlan, HandlerHealth)}; a candidate whose URI a call could not reach
     * now also has {@code "unreachable": "<why>"} from {@code unreachable} (the server's
     * resolver: {@code dns: <name>: NXDOMAIN}), which calls skip with that reason.
     */
    public static String json(RoutingPlan plan, HandlerHealth health, Function<String, String> unreachable) {
        ObjectNode root = JSON.createObjectNode();
        root.put("number", plan.dialedNumber());
        root.put("campaign", plan.campaignId());
        root.put("source", plan.sourceId());
        if (plan.outcome() == RoutingPlan.Outcome.REJECTED) {
            root.put("rejected", plan.rejectionReason());
        }
        ArrayNode candidates = root.putArray("candidates");
        for (Candidate candidate : plan.candidates()) {
            ObjectNode entry = candidates.addObject()
                    .put("handler", candidate.handlerId())
                    .put("priority", candidate.priority())
                    .put("weight", candidate.weight());
            String problem = unreachable.apply(candidate.uri());
            if (problem != null) {
                entry.put("unreachable", problem);
            }
        }
        ArrayNode skipped = root.putArray("skipped");
        for (Skip skip : plan.skipped()) {
            ObjectNode entry = skipped.addObject().put("handler", skip.handlerId()).put("reason", skip.reason());
            String detail = healthDetail(skip, health);
            if (detail != null) {
                entry.put("health", detail);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** Why a handler skipped as {@code unhealthy} is so, or null. */
    private static String healthDetail(Skip skip, HandlerHealth health) {
        if (health == null || !skip.reason().equals(HandlerRoute.UNHEALTHY_REASON)) {
            return null;
        }
        return health.status(skip.handlerId()).detail(health.settings());
    }

    /** A readable multi-line account of the plan. */
    public static String text(RoutingPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append("number:   ").append(plan.dialedNumber()).append('\n');
        String caller = plan.callerNumber();
        out.append("caller:   ").append(caller == null ? "(anonymous)" : caller);
        Map<String, String> tags = plan.tags();
        if (tags.containsKey("caller_state") || tags.containsKey("caller_country")) {
            out.append(" (");
            if (tags.containsKey("caller_state")) {
                out.append(tags.get("caller_state")).append(", ");
            }
            out.append(tags.getOrDefault("caller_country", "?")).append(')');
        }
        out.append('\n');
        out.append("at:       ").append(Instant.ofEpochMilli(plan.nowMs())).append('\n');
        if (plan.outcome() == RoutingPlan.Outcome.UNKNOWN_NUMBER) {
            return out.append("unknown number: ").append(plan.rejectionReason()).append('\n').toString();
        }
        out.append("campaign: ").append(plan.campaignId()).append('\n');
        out.append("source:   ").append(plan.sourceId()).append('\n');
        if (plan.outcome() == RoutingPlan.Outcome.REJECTED) {
            return out.append("rejected: ").append(plan.rejectionReason()).append('\n').toString();
        }
        out.append("candidates, in order:\n");
        if (plan.candidates().isEmpty()) {
            out.append("  (none: the call would be refused)\n");
        }
        int position = 1;
        for (Candidate c : plan.candidates()) {
            out.append("  ").append(position++).append(". ").append(c.handlerId())
                    .append("  ").append(c.uri())
                    .append("  priority ").append(c.priority())
                    .append("  weight ").append(c.weight())
                    .append("  timeout ").append(c.timeoutSeconds()).append('s')
                    .append('\n');
        }
        if (!plan.skipped().isEmpty()) {
            out.append("skipped:\n");
            for (Skip skip : plan.skipped()) {
                out.append("  ").append(skip.handlerId()).append(": ").append(skip.reason()).append('\n');
            }
        }
        return out.toString();
    }
}
