package org.callrouter.routing.config;

import java.util.List;
import java.util.Set;

import org.callrouter.routing.criteria.Criterion;
import org.callrouter.routing.template.Template;

/**
 * A campaign webhook: an HTTP POST on some call events.
 *
 * @param on     the events it fires on
 * @param url    URL template ({@code http} or {@code https})
 * @param body   body template; {@code null} = the call record as JSON
 * @param secret HMAC-SHA256 key for {@code X-Callrouter-Signature} ({@code secret},
 *               {@code secret_env} or {@code secret_file}); {@code null} = unsigned. Never in
 *               {@link #toString()}
 * @param when   criteria the call must meet (all of them)
 */
public record WebhookConfig(Set<WebhookEvent> on, Template url, Template body, String secret, List<Criterion> when) {

    public WebhookConfig {
        on = Set.copyOf(on);
        when = List.copyOf(when);
    }

    @Override
    public String toString() {
        return "WebhookConfig[on=" + on + ", url=" + url + ", body=" + body + ", signed=" + (secret != null)
                + ", when=" + when + "]";
    }
}
