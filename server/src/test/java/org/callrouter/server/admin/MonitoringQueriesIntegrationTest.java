package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.server.metrics.MonitoringQueries;
import org.callrouter.server.metrics.PrometheusText;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every series the shipped alert rules and Grafana dashboard query is one a running router
 * exports, with those label names (and, for {@code label="value"} matchers, that value): a real
 * router on loopback takes one answered call from a jain-sip-ri carrier (so the call, attempt and
 * histogram series exist), then its {@code /metrics} is read with the Prometheus reference parser
 * and each query of {@code config/prometheus/alerts.yml} and {@code config/grafana/callrouter.json}
 * is checked against it. Every other series the files use is registered when the router starts.
 */
class MonitoringQueriesIntegrationTest {

    /** Series Prometheus makes itself for each target, not the router: checked by name here, not against /metrics. */
    private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");
    /** The target labels Prometheus adds to every scraped series (scrape config's job, the address). */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final String NUMBER = "+18005550100";
    private static final String REMOVED = "+18005550101";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path dir;

    private Peers peers;
    private ServiceFixture router;

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @Test
    void alertsAndDashboardQueryOnlySeriesTheRouterExports() throws ConfigException {
        peers = Peers.open(48000, 48399);
        final String routing = """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 2, caps: { concurrency: 5, daily: 100 } }
                campaigns:
                  - id: sales
                    handlers: [first]
                    pools:
                      - { id: web-pool, numbers: ["+18005550150"], source: web, allowed_origins: ["*"] }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                  - { number: "+18005550102", campaign: sales, source: web, canary: true }
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(peers.first().uri(), NUMBER, REMOVED);
        router = ServiceFixture.start(dir, routing, "");
        peers.first().script(Behaviour.answer());
        final CarrierCall call = peers.carrier().call(router.sipHostPort(), NUMBER);
        assertEquals(200, call.awaitFinal(WAIT).status());
        assertEquals(200, call.bye(WAIT).status());
        // A number taken out is quarantined; a call to it makes its series.
        router.writeRaw(router.yaml(routing.replace("  - { number: \"" + REMOVED + "\", campaign: sales, source: web }\n",
                ""), ""));
        router.service().reload();
        assertEquals(404, peers.carrier().call(router.sipHostPort(), REMOVED).awaitFinal(WAIT).status());
        router.awaitCalls(2);

        final Map<String, List<Map<String, String>>> exported = series(
                PrometheusText.samples(router.get("/metrics").body()));
        final List<MonitoringQueries.Query> queries = new ArrayList<>(MonitoringQueries.alertQueries());
        queries.addAll(MonitoringQueries.dashboardQueries());
        final List<String> problems = new ArrayList<>();
        int checkedSelectors = 0;
        for (MonitoringQueries.Query query : queries) {
            final Set<String> labelsOfQuery = new HashSet<>(TARGET_LABELS);
            for (MonitoringQueries.Selector selector : query.selectors()) {
                checkedSelectors++;
                if (MADE_BY_PROMETHEUS.contains(selector.metric())) {
                    labelsOfQuery.addAll(selector.matchers().stream().map(MonitoringQueries.LabelMatcher::label).toList());
                    continue;
                }
                final List<Map<String, String>> samples = exported.get(selector.metric());
                if (samples == null) {
                    problems.add(query.where() + ": " + selector.metric() + " is not exported");
                    continue;
                }
                samples.forEach(s -> labelsOfQuery.addAll(s.keySet()));
                for (MonitoringQueries.LabelMatcher m : selector.matchers()) {
                    if (TARGET_LABELS.contains(m.label())) {
                        continue;
                    }
                    if (samples.stream().noneMatch(s -> s.containsKey(m.label()))) {
                        problems.add(query.where() + ": " + selector.metric() + " has no label " + m.label());
                    } else if (m.op().equals("=") && !m.value().contains("$")
                            && samples.stream().noneMatch(s -> m.value().equals(s.get(m.label())))) {
                        // Only equality is checked by value: a regex or a negation may well match nothing today.
                        problems.add(query.where() + ": no " + selector.metric() + " has " + m.label() + "=\""
                                + m.value() + "\"");
                    }
                }
            }
            for (String label : query.groupingLabels()) {
                if (!labelsOfQuery.contains(label)) {
                    problems.add(query.where() + ": groups by " + label + ", a label none of its series has");
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        assertTrue(queries.size() >= 30 && checkedSelectors >= 40,
                "the parser found the queries: " + queries.size() + " queries, " + checkedSelectors + " selectors");
    }

    @Test
    void theParserReadsSelectorsGroupingAndLabelValues() {
        final MonitoringQueries.Query q = MonitoringQueries.parse("example", """
                sum by (campaign) (rate(calls_total{job=~"$job", status="completed"}[5m]))
                  / on (instance, job, handler) handler_cap_remaining and up == 0 > 1/60""");
        assertEquals(List.of(
                new MonitoringQueries.Selector("calls_total", List.of(new MonitoringQueries.LabelMatcher("job", "=~", "$job"),
                        new MonitoringQueries.LabelMatcher("status", "=", "completed"))),
                new MonitoringQueries.Selector("handler_cap_remaining", List.of()),
                new MonitoringQueries.Selector("up", List.of())), q.selectors());
        assertEquals(Set.of("campaign", "instance", "job", "handler"), q.groupingLabels());
        final MonitoringQueries.Query v = MonitoringQueries.parse("variable", "label_values(handler_healthy{job=~\"$job\"}, handler)");
        assertEquals("handler_healthy", v.selectors().get(0).metric());
        assertEquals(Set.of("handler"), v.groupingLabels());
    }

    /** The page's samples by name, each as its labels. */
    private static Map<String, List<Map<String, String>>> series(Map<String, Double> samples) {
        final Map<String, List<Map<String, String>>> out = new HashMap<>();
        for (String key : samples.keySet()) {
            final Matcher m = SAMPLE.matcher(key);
            assertTrue(m.matches(), key);
            final Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                final Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
        }
        return out;
    }
}
