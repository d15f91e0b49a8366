package org.callrouter.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.callrouter.server.testsupport.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Prometheus files checked by Prometheus' own {@code promtool} (Debian package
 * {@code prometheus}): the rules and the scrape configuration are valid, the unit tests of
 * {@code alerts.test.yml} pass (each alert fires on the series that mean trouble and stays quiet
 * otherwise), and every query of the Grafana dashboard is valid PromQL. Without promtool the test
 * is skipped, or fails when {@code CI} is set ({@link RequiredTool}).
 */
class AlertRulesTest {

    /** Where Debian's prometheus package puts it. */
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    @BeforeAll
    static void promtool() {
        RequiredTool.fromEnvironment().require(Optional.of(PROMTOOL).filter(Files::isExecutable), PROMTOOL.toString(),
                "apt-get install prometheus");
    }

    @Test
    void rulesAreValid() {
        final String out = run("check", "rules", MonitoringQueries.ALERTS.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void scrapeConfigIsValidAndLoadsTheRules() {
        final String out = run("check", "config", MonitoringQueries.SCRAPE_CONFIG.toString());
        assertTrue(out.contains("1 rule files found"), out);
    }

    @Test
    void everyAlertFiresOnTroubleAndStaysQuietOtherwise() {
        final String out = run("test", "rules", MonitoringQueries.ALERT_TESTS.toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    /** Each alert has a unit test that expects it to fire (exp_alerts not empty), and one that expects quiet. */
    @Test
    void everyAlertIsTestedBothWays() throws IOException {
        final String tests = Files.readString(MonitoringQueries.ALERT_TESTS);
        for (MonitoringQueries.Query alert : MonitoringQueries.alertQueries()) {
            final String name = alert.where().substring("alert ".length());
            final String[] evals = tests.split("alertname: " + name + "\n", -1);
            assertTrue(evals.length > 1, () -> name + " has no test in " + MonitoringQueries.ALERT_TESTS);
            boolean fires = false;
            boolean quiet = false;
            for (int i = 1; i < evals.length; i++) {
                final String expected = evals[i].stripLeading();
                quiet |= expected.startsWith("exp_alerts: []");
                fires |= expected.startsWith("exp_alerts:\n");
            }
            assertTrue(fires && quiet, () -> name + " must be tested firing and quiet");
        }
    }

    /** A rules file that records each dashboard query, Grafana's variables replaced: promtool parses the PromQL. */
    @Test
    void dashboardQueriesAreValidPromql() throws IOException {
        final List<MonitoringQueries.Query> queries = MonitoringQueries.dashboardQueries();
        final StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (MonitoringQueries.Query q : queries) {
            if (q.where().startsWith("variable ")) {
                continue;
            }
            final String promql = q.promql().replace("$__rate_interval", "5m").replaceAll("\\$\\w+", ".*");
            rules.append("      - record: dashboard_query_").append(n++).append("\n        expr: '")
                    .append(promql.replace("'", "''").replace("\n", " ")).append("'\n");
        }
        final Path file = dir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        final String out = run("check", "rules", file.toString());
        assertTrue(out.contains("SUCCESS: " + n + " rules found"), out);
        assertTrue(n >= 10, "the dashboard's panel queries: " + n);
    }

    private static String run(String... args) {
        final List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        try {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "promtool finished");
            assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ":\n" + out);
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
