package org.callrouter.routing.config;

import java.util.List;

import org.callrouter.routing.criteria.Criterion;

/**
 * A campaign: what tracked numbers lead to, the handlers it routes to and its rules.
 *
 * @param id               unique id
 * @param name             display name (optional)
 * @param enabled          [true]: a disabled campaign rejects its calls
 * @param handlers         the handlers it routes to
 * @param repeatCallers    {@code repeat_callers}; {@code null} = no repeat-caller rule
 * @param sourceConversion {@code conversion.source}: payout rule; {@code null} = never converts
 * @param handlerConversion {@code conversion.handler}: revenue rule; {@code null} = never
 *                          converts unless a handler overrides it
 * @param webhooks         webhooks fired for its calls
 * @param rejectAnonymous  {@code reject_anonymous} [false]: reject calls without a caller number
 * @param blockedCallers   {@code blocked_callers}: E.164 numbers whose calls are rejected
 * @param require          criteria every call must meet, else it is rejected
 * @param pools            {@code pools}: number pools for landing-page visitors
 * @param passDiversion    {@code pass_diversion} [false]: the carrier's {@code Diversion} and
 *                         {@code History-Info} headers go to the handler; otherwise the handler
 *                         does not see them (the tags still record them)
 * @param callback         {@code callback}: calling back its lost calls; {@code null} = never
 * @param onSharedStateError {@code on_shared_state_error} [reject]: what a call does when the
 *                         cluster's shared store fails (only with {@code cluster:})
 */
public record CampaignConfig(String id, String name, boolean enabled, List<HandlerLink> handlers,
                             RepeatCallers repeatCallers, ConversionRule sourceConversion,
                             ConversionRule handlerConversion, List<WebhookConfig> webhooks,
                             boolean rejectAnonymous, List<String> blockedCallers, List<Criterion> require,
                             List<PoolConfig> pools, boolean passDiversion, CallbackConfig callback,
                             SharedStatePolicy onSharedStateError) {

    public CampaignConfig {
        handlers = List.copyOf(handlers);
        webhooks = List.copyOf(webhooks);
        blockedCallers = List.copyOf(blockedCallers);
        require = List.copyOf(require);
        pools = List.copyOf(pools);
    }
}
