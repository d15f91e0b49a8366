package org.callrouter.routing;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.routing.config.ConfigLoader;
import org.callrouter.routing.config.RouterConfig;

/** Builds configurations whose stores live in a test's temporary directory. */
final class Fixture {

    private final Path dataDir;

    Fixture(Path tempDir) {
        this.dataDir = tempDir.resolve("data");
    }

    Path dataDir() {
        return dataDir;
    }

    /** The YAML with {@code server.data_dir} set to the test's directory (the YAML must not have a server section). */
    RouterConfig config(String yaml) {
        try {
            return ConfigLoader.parse("server: { data_dir: \"" + dataDir + "\", health: { failure_threshold: 2 } }\n" + yaml,
                    Path.of("test.yaml"));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    Router open(String yaml, TestClock clock, long seed) {
        return Router.open(config(yaml), clock, random(seed));
    }

    static RandomGenerator random(long seed) {
        return new SplittableRandom(seed);
    }

    static CallContext call(String dialed, String caller) {
        return CallContext.builder().dialedNumber(dialed).callerNumber(caller).build();
    }
}
