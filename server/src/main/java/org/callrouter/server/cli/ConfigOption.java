package org.callrouter.server.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import org.callrouter.routing.config.RouterConfig;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option of the commands that work on a configured router. */
final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "configuration (default: config/router.yaml under router.home, else the working directory)")
    private Path file;

    /** The configuration, or {@code null} after printing every error to {@code err}. */
    RouterConfig load(PrintWriter err) {
        return ConfigReports.load(file, err);
    }
}
