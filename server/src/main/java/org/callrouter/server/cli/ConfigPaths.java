package org.callrouter.server.cli;

import java.nio.file.Path;

/** Where commands look for the configuration when {@code --config} is not given. */
final class ConfigPaths {

    /** Set by the {@code ./router} launcher to the repository root. */
    static final String HOME_PROPERTY = "router.home";

    private ConfigPaths() {
    }

    /** {@code config/router.yaml} under {@code router.home}, else under the working directory. */
    static Path defaultConfig() {
        String home = System.getProperty(HOME_PROPERTY);
        Path base = home == null || home.isBlank() ? Path.of("") : Path.of(home);
        return base.resolve("config").resolve("router.yaml");
    }
}
