package org.callrouter.routing.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used: every problem found, each naming the file,
 * line, column and field path. {@link #getMessage()} holds one error per line.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    /** @param errors at least one error */
    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** A single error. */
    public ConfigException(ConfigError error) {
        this(List.of(error));
    }

    /** Every error, in file order as far as it is known. */
    public List<ConfigError> errors() {
        return errors;
    }
}
