package org.callrouter.routing.config;

/**
 * A tracked number listed in the YAML.
 *
 * @param number   E.164 ({@code +18005550100})
 * @param campaign campaign id
 * @param source   source id
 * @param canary   {@code canary} [false]: the number written in the site's HTML, which visitors
 *                 only see when the number swap failed; its calls are routed and raise an alert
 */
public record NumberConfig(String number, String campaign, String source, boolean canary) {
}
