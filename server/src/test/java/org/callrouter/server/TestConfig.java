package org.callrouter.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;

/** Loads a test configuration written out as {@code dir/router.yaml}. */
public final class TestConfig {

    private TestConfig() {
    }

    /**
     * The smallest serving configuration: one SIP worker on a free UDP port of 127.0.0.1, no
     * probes, one number of one campaign whose handler nothing answers; data in {@code dir/data}.
     */
    public static RouterConfig oneNumber(Path dir) {
        return load(dir, """
                server:
                  data_dir: "%s"
                  sip: { listen: ["udp:127.0.0.1:0"], workers: 1 }
                  health: { enabled: false }
                sources:
                  - id: s
                handlers:
                  - { id: h, uri: "sip:127.0.0.1:5999" }
                campaigns:
                  - { id: c, handlers: [h] }
                numbers:
                  - { number: "+18005550100", campaign: c, source: s }
                """.formatted(dir.resolve("data").toString().replace("\\", "/")));
    }

    /** Writes {@code yaml} to {@code dir/router.yaml} and loads it; a bad file fails the test with its errors. */
    public static RouterConfig load(Path dir, String yaml) {
        try {
            Files.createDirectories(dir);
            final Path file = dir.resolve("router.yaml");
            Files.writeString(file, yaml);
            return ConfigLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new AssertionError("test configuration is invalid:\n" + e.getMessage() + "\n" + yaml, e);
        }
    }
}
