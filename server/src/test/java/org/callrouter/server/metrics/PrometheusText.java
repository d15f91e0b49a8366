package org.callrouter.server.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.callrouter.server.testsupport.RequiredTool;

/**
 * Parses a {@code /metrics} page with the Prometheus project's reference parser
 * ({@code prometheus_client.parser.text_string_to_metric_families}, Debian package
 * {@code python3-prometheus-client}): a page it rejects fails the test. When no Python 3 with that
 * module is installed, the test fails under CI and is skipped elsewhere ({@link RequiredTool}).
 */
public final class PrometheusText {

    private static final String SCRIPT = """
            import sys, json
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    out.append({"family": family.name, "type": family.type, "name": s.name,
                                "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """;

    private PrometheusText() {
    }

    /** The Python that has the parser, or null. */
    static String python() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                final Process p = new ProcessBuilder(candidate, "-c", "import prometheus_client.parser")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException | InterruptedException absent) {
                // Try the next one.
            }
        }
        return null;
    }

    /**
     * Every sample of the page, keyed {@code name{label="value",...}} with labels sorted by name
     * ({@code name} alone without labels).
     */
    public static Map<String, Double> samples(String page) {
        final String python = RequiredTool.fromEnvironment().require(Optional.ofNullable(python()),
                "python3 with prometheus_client (the reference parser of the /metrics page)",
                "apt-get install python3-prometheus-client");
        try {
            final Path script = Files.createTempFile("parse-metrics", ".py");
            Files.writeString(script, SCRIPT);
            final Process p = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(page.getBytes(StandardCharsets.UTF_8));
            }
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("the reference parser rejected the page:\n" + page);
            }
            Files.deleteIfExists(script);
            final Map<String, Double> samples = new HashMap<>();
            // NaN is a sample value the format allows (Micrometer reports it for a gauge with nothing to
            // read); Python's json writes it bare. Tests that care about a value check it themselves.
            for (JsonNode s : JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(out)) {
                final StringBuilder key = new StringBuilder(s.path("name").asText());
                final List<String> labels = new ArrayList<>();
                s.path("labels").fields().forEachRemaining(e -> labels.add(e.getKey() + "=\"" + e.getValue().asText() + "\""));
                if (!labels.isEmpty()) {
                    Collections.sort(labels);
                    key.append('{').append(String.join(",", labels)).append('}');
                }
                samples.put(key.toString(), s.path("value").asDouble());
            }
            return samples;
        } catch (IOException e) {
            throw new AssertionError("cannot run the reference parser", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
