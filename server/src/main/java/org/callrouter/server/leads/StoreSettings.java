package org.callrouter.server.leads;

/**
 * How to open the store: the resolved {@code server.store} settings.
 *
 * @param url            JDBC URL; null = {@code jdbc:duckdb:<data_dir>/leads.duckdb}
 * @param user           database user, or null
 * @param password       database password (from {@code password_env} / {@code password_file}), or null
 * @param memoryLimitMb  DuckDB {@code memory_limit} (DuckDB's own default is 80% of RAM)
 * @param threads        DuckDB {@code threads}
 * @param checkpointMb   DuckDB {@code checkpoint_threshold} in MB
 */
public record StoreSettings(String url, String user, String password, int memoryLimitMb, int threads,
                            int checkpointMb) {

    /** Embedded DuckDB under the data directory, 512 MB, 2 threads, a checkpoint every 64 MB of log. */
    public static final StoreSettings DEFAULT = new StoreSettings(null, null, null, 512, 2, 64);

    @Override
    public String toString() {
        return "StoreSettings[url=" + JdbcUrls.withoutPassword(url) + ", user=" + user
                + ", password=" + (password == null ? "none" : "(set)") + ", memoryLimitMb=" + memoryLimitMb
                + ", threads=" + threads + ", checkpointMb=" + checkpointMb + "]";
    }
}
