package org.callrouter.routing.store;

/**
 * A tracked number as stored.
 *
 * @param number   E.164
 * @param campaign campaign id
 * @param source   source id
 * @param fromYaml whether it comes from the configuration file's {@code numbers:} (which
 *                 the router re-applies on every start and reload) rather than an import
 */
public record TrackedNumber(String number, String campaign, String source, boolean fromYaml) {
}
