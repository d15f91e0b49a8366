package org.callrouter.server.leads;

/**
 * @param engine     {@code duckdb} or {@code postgresql}
 * @param url        the JDBC URL with any password removed
 * @param lastError  the last database error seen, null when none since the last success
 */
public record StoreHealth(String engine, String url, String lastError) {
}
