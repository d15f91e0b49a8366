package org.callrouter.server.resolve;

/**
 * One NAPTR record's data (RFC 3403 section 4.1), as RFC 3263 section 4.1 uses it.
 *
 * @param order       lower first
 * @param preference  lower first among equal orders
 * @param flags       {@code s} for records that lead to SRV
 * @param service     e.g. {@code SIP+D2U}, {@code SIP+D2T}, {@code SIPS+D2T}
 * @param replacement the SRV name to query next, without the trailing dot
 * @param ttlSeconds  the record's TTL
 */
record NaptrRecord(int order, int preference, String flags, String service, String replacement, long ttlSeconds) {
}
