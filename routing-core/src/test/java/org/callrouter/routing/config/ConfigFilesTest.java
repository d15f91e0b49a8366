package org.callrouter.routing.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every YAML file under the repository's config/ folder loads, and the two the tools rely on say what they must. */
class ConfigFilesTest {

    private static final Path CONFIG = Path.of("..", "config");

    @Test
    void everyConfigurationFileLoads() throws IOException, ConfigException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CONFIG)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "found " + files);
        for (Path file : files) {
            RouterConfig config = ConfigLoader.load(file);
            assertFalse(config.campaigns().isEmpty(), file + " has campaigns");
        }
    }

    @Test
    void demoConfiguration() throws ConfigException {
        RouterConfig demo = ConfigLoader.load(CONFIG.resolve("router.yaml"));
        assertEquals(Path.of("./data").toAbsolutePath().normalize(), demo.server().dataDir());
        assertEquals(List.of(new NumberConfig("+18005550100", "demo", "demo-source", false)), demo.numbers());
        HandlerConfig primary = demo.handler("primary").orElseThrow();
        HandlerConfig backup = demo.handler("backup").orElseThrow();
        assertEquals("sip:127.0.0.1:5080", primary.uri());
        assertEquals(1, primary.priority());
        assertEquals(15, primary.timeoutSeconds());
        assertEquals("sip:127.0.0.1:5081", backup.uri());
        assertEquals(2, backup.priority());
        assertEquals(15, backup.timeoutSeconds());
        assertEquals(List.of("primary", "backup"),
                demo.campaign("demo").orElseThrow().handlers().stream().map(HandlerLink::handlerId).toList());
    }

    @Test
    void benchConfiguration() throws ConfigException {
        RouterConfig bench = ConfigLoader.load(CONFIG.resolve("bench.yaml"));
        assertEquals("[udp:127.0.0.1:5060]", bench.server().sip().listen().toString());
        assertEquals(Path.of("./data/bench").toAbsolutePath().normalize(), bench.server().dataDir());
        assertFalse(bench.server().health().enabled());
        assertEquals("+18005550100", bench.numbers().get(0).number());
        List<HandlerConfig> handlers = bench.handlers();
        assertEquals(List.of("sip:127.0.0.1:5080", "sip:127.0.0.1:5081"), handlers.stream().map(HandlerConfig::uri).toList());
        assertEquals(List.of(1, 2), handlers.stream().map(HandlerConfig::priority).toList());
        for (HandlerConfig handler : handlers) {
            assertTrue(handler.businessHours().isEmpty());
            assertFalse(handler.caps().any());
            assertTrue(handler.criteria().isEmpty());
        }
    }
}
