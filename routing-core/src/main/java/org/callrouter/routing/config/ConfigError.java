package org.callrouter.routing.config;

/**
 * One problem found in a configuration file.
 *
 * @param file    the file as it was named to the loader
 * @param line    1-based line of the offending value (0 when the problem has no position)
 * @param column  1-based column of the offending value (0 when the problem has no position)
 * @param path    field path, e.g. {@code handlers[0].timeout_seconds}; empty for the whole file
 * @param message what is wrong, with the offending value
 */
public record ConfigError(String file, int line, int column, String path, String message) {

    /** {@code config/router.yaml:12:5: handlers[0].timeout_seconds: must be > 0}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
