package org.callrouter.routing.config;

/**
 * A tracked number listed in the YAML.
 *
 * @param number   E.164 ({@code +18005550100})
 * @param campaign campaign id
 * @param source   source id
 */
public record NumberConfig(String number, String campaign, String source) {
}
