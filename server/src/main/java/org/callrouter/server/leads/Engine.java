package org.callrouter.server.leads;

/** The database engines the store runs on, chosen by the JDBC URL. */
enum Engine {
    DUCKDB("duckdb"),
    POSTGRESQL("postgresql");

    private final String label;

    Engine(String label) {
        this.label = label;
    }

    /** {@code duckdb} or {@code postgresql}. */
    String label() {
        return label;
    }

    /**
     * The engine of {@code url}.
     *
     * @throws IllegalArgumentException for any other URL, naming the supported forms
     */
    static Engine of(String url) {
        if (url.startsWith("jdbc:duckdb:")) {
            return DUCKDB;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported store url " + JdbcUrls.withoutPassword(url)
                + ": use jdbc:duckdb:<file> or jdbc:postgresql://host:port/database");
    }
}
