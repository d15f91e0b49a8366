package org.callrouter.routing.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Configuration text parsed as {@code config/test.yaml} with a fixed environment (for
 * {@code *_env} settings), and the errors of text that must fail, as the operator reads them.
 */
record TestYaml(Map<String, String> env) {

    static final Path FILE = Path.of("config/test.yaml");

    RouterConfig load(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, FILE, env::get);
    }

    List<String> errors(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).errors().stream().map(ConfigError::toString)
                .toList();
    }
}
