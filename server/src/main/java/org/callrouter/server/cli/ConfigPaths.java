package org.callrouter.server.cli;

import java.nio.file.Path;

/** Where the commands find the configuration when none is given. */
final class ConfigPaths {

    private ConfigPaths() {
    }

    /**
     * {@code config/router.yaml} under the {@code router.home} system property (set by the
     * {@code router} launcher to the repository root), else under the working directory.
     */
    static Path defaultConfig() {
        final String home = System.getProperty("router.home");
        final Path base = home == null ? Path.of("") : Path.of(home);
        return base.resolve("config").resolve("router.yaml");
    }
}
