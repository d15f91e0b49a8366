package org.callrouter.server.resolve;

/**
 * One SRV record's data (RFC 2782).
 *
 * @param priority lower first
 * @param weight   relative share within a priority
 * @param port     the service's port
 * @param target   the host name, without the trailing dot; "." (empty here) means "not offered"
 * @param ttlSeconds the record's TTL
 */
record SrvRecord(int priority, int weight, int port, String target, long ttlSeconds) {
}
