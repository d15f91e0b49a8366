package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.callrouter.routing.config.ConfigError;
import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;

/** Loading a configuration for a command: every error on its own line, or the configuration. */
final class ConfigReports {

    private ConfigReports() {
    }

    /**
     * Loads {@code file}, or the default configuration when it is {@code null}.
     *
     * @return the configuration, or {@code null} after printing every error to {@code out}
     */
    static RouterConfig load(Path file, PrintWriter out) {
        try {
            return ConfigLoader.load(file != null ? file : ConfigPaths.defaultConfig());
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                out.println(error);
            }
            return null;
        }
    }
}
