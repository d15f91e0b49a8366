package org.callrouter.routing.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects configuration errors for one file so that all of them are reported at once. */
final class Problems {

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void add(YamlNode.Mark mark, String path, String message) {
        errors.add(new ConfigError(file, mark.line(), mark.column(), path, message));
    }

    /** A problem in another file the configuration names (a pool's {@code numbers_file}). */
    void addIn(String otherFile, int line, int column, String path, String message) {
        errors.add(new ConfigError(otherFile, line, column, path, message));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    int size() {
        return errors.size();
    }

    /** @throws ConfigException when any error was added, sorted by position */
    void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            throw new ConfigException(sorted);
        }
    }
}
