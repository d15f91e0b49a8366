package org.callrouter.server.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The PromQL queries of the shipped monitoring files ({@code config/prometheus/alerts.yml},
 * {@code config/grafana/callrouter.json}) and the series they select. The parser knows just
 * enough PromQL for these files: selectors {@code name{label op "value", ...}}, bare metric
 * names, grouping clauses ({@code by}, {@code on}, ...) and Grafana's {@code label_values(selector,
 * label)}; it fails on a selector without a metric name rather than guess.
 */
public final class MonitoringQueries {

    /** The repository's {@code config} directory (tests run in {@code server}). */
    public static final Path CONFIG = Path.of("..", "config");
    public static final Path ALERTS = CONFIG.resolve("prometheus/alerts.yml");
    public static final Path ALERT_TESTS = CONFIG.resolve("prometheus/alerts.test.yml");
    public static final Path SCRAPE_CONFIG = CONFIG.resolve("prometheus/prometheus.yml");
    public static final Path DASHBOARD = CONFIG.resolve("grafana/callrouter.json");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\s*\\)$",
            Pattern.DOTALL);
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)\\}");
    private static final Pattern MATCHER = Pattern.compile("\\s*(\\w+)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private MonitoringQueries() {
    }

    /** One label matcher: {@code label op "value"}. */
    public record LabelMatcher(String label, String op, String value) {
    }

    /** A series a query selects: the metric name and its matchers (none for a bare name). */
    public record Selector(String metric, List<LabelMatcher> matchers) {
    }

    /** What one query uses: its selectors and the labels its grouping clauses name. */
    public record Query(String where, String promql, List<Selector> selectors, Set<String> groupingLabels) {
    }

    /** The {@code expr} of every alert rule, as {@code alert NAME}. */
    public static List<Query> alertQueries() {
        final List<Query> out = new ArrayList<>();
        for (JsonNode group : read(new YAMLMapper(), ALERTS).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(parse("alert " + rule.path("alert").asText(), rule.path("expr").asText()));
            }
        }
        return out;
    }

    /** Every panel target's {@code expr} and every query variable's query of the dashboard. */
    public static List<Query> dashboardQueries() {
        final List<Query> out = new ArrayList<>();
        final JsonNode dashboard = read(new ObjectMapper(), DASHBOARD);
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.add(parse("panel \"" + panel.path("title").asText() + "\" " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                out.add(parse("variable $" + variable.path("name").asText(),
                        variable.path("query").path("query").asText()));
            }
        }
        return out;
    }

    /** The series and grouping labels of {@code promql}. */
    public static Query parse(String where, String promql) {
        String rest = promql.strip();
        final Set<String> grouping = new LinkedHashSet<>();
        final Matcher labelValues = LABEL_VALUES.matcher(rest);
        if (labelValues.matches()) {
            rest = labelValues.group(1);
            grouping.add(labelValues.group(2));
        }
        final List<Selector> selectors = new ArrayList<>();
        final StringBuilder without = new StringBuilder();
        final Matcher s = SELECTOR.matcher(rest);
        while (s.find()) {
            if (s.group(1) == null) {
                throw new AssertionError(where + ": a selector without a metric name: " + s.group());
            }
            selectors.add(new Selector(s.group(1), matchers(where, s.group(2))));
            s.appendReplacement(without, " ");
        }
        s.appendTail(without);
        rest = RANGE.matcher(STRING.matcher(without).replaceAll(" ")).replaceAll(" ");
        final StringBuilder noGrouping = new StringBuilder();
        final Matcher g = GROUPING.matcher(rest);
        while (g.find()) {
            for (String label : g.group(2).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.strip());
                }
            }
            g.appendReplacement(noGrouping, " ");
        }
        g.appendTail(noGrouping);
        final Matcher id = IDENTIFIER.matcher(noGrouping);
        while (id.find()) {
            // A name followed by "(" is a function or aggregation; the rest are metric names.
            if (id.group(2) == null && !KEYWORDS.contains(id.group(1).toLowerCase(Locale.ROOT))) {
                selectors.add(new Selector(id.group(1), List.of()));
            }
        }
        if (selectors.isEmpty()) {
            throw new AssertionError(where + ": no metric found in " + promql);
        }
        return new Query(where, promql, selectors, grouping);
    }

    private static List<LabelMatcher> matchers(String where, String inBraces) {
        final List<LabelMatcher> out = new ArrayList<>();
        final Matcher m = MATCHER.matcher(inBraces);
        int end = 0;
        while (m.lookingAt()) {
            out.add(new LabelMatcher(m.group(1), m.group(2), m.group(3).replace("\\\"", "\"").replace("\\\\", "\\")));
            end = m.end();
            m.region(end, inBraces.length());
        }
        if (!inBraces.substring(end).isBlank()) {
            throw new AssertionError(where + ": cannot read the matchers {" + inBraces + "}");
        }
        return out;
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file.toAbsolutePath(), e);
        }
    }
}
