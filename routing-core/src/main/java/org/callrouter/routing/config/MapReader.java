package org.callrouter.routing.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

import org.callrouter.routing.config.YamlNode.Entry;
import org.callrouter.routing.config.YamlNode.ListNode;
import org.callrouter.routing.config.YamlNode.MapNode;
import org.callrouter.routing.config.YamlNode.ScalarKind;
import org.callrouter.routing.config.YamlNode.ScalarNode;

/**
 * Typed, position-aware reading of one YAML mapping. Each accessor names a key, gives its
 * default and its rule; a wrong type or a broken rule becomes an error at the value's
 * position and the default is used so that reading goes on and every error is found in
 * one pass. {@link #finish()} reports the keys nobody asked for.
 */
final class MapReader {

    private final MapNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new HashSet<>();

    private MapReader(MapNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** A reader over {@code node}; {@code null} (absent) reads as an empty mapping. */
    static MapReader of(YamlNode node, String path, Problems problems) {
        if (node instanceof MapNode map) {
            return new MapReader(map, path, problems);
        }
        YamlNode.Mark mark = node == null ? YamlNode.Mark.NONE : node.mark();
        if (node != null && !isNull(node)) {
            problems.add(mark, path, "expected a mapping, got " + node.describe());
        }
        return new MapReader(new MapNode(mark), path, problems);
    }

    Problems problems() {
        return problems;
    }

    String path() {
        return path;
    }

    YamlNode.Mark mark() {
        return node.mark();
    }

    /** The path of a key of this mapping. */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Where the key's value was written, or where the mapping starts when it is absent. */
    YamlNode.Mark markOf(String key) {
        Entry entry = node.entries().get(key);
        return entry == null ? node.mark() : entry.value().mark();
    }

    boolean has(String key) {
        known.add(key);
        Entry entry = node.entries().get(key);
        return entry != null && !isNull(entry.value());
    }

    /** The value node of a key (marks the key as known); {@code null} when absent or null. */
    YamlNode raw(String key) {
        known.add(key);
        Entry entry = node.entries().get(key);
        return entry == null || isNull(entry.value()) ? null : entry.value();
    }

    void error(String key, String message) {
        problems.add(markOf(key), path(key), message);
    }

    /** Any scalar as text (YAML's {@code yes} or {@code 17} are fine where text is expected). */
    String string(String key, String dflt) {
        YamlNode value = raw(key);
        if (value == null) {
            return dflt;
        }
        if (value instanceof ScalarNode scalar) {
            return scalar.text();
        }
        error(key, "expected a text value, got " + value.describe());
        return dflt;
    }

    String requiredString(String key) {
        if (!has(key)) {
            problems.add(node.mark(), path(key), "is required");
            return null;
        }
        String value = string(key, null);
        if (value != null && value.isBlank()) {
            error(key, "must not be empty");
            return null;
        }
        return value;
    }

    int integer(String key, int dflt, int min, int max) {
        long value = longInteger(key, dflt, min, max);
        return (int) value;
    }

    long longInteger(String key, long dflt, long min, long max) {
        YamlNode value = raw(key);
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof ScalarNode scalar) || scalar.kind() != ScalarKind.INTEGER) {
            error(key, "expected a whole number, got " + value.describe());
            return dflt;
        }
        long parsed;
        try {
            parsed = Long.parseLong(scalar.text().replace("_", ""));
        } catch (NumberFormatException e) {
            error(key, "number " + scalar.text() + " is out of range");
            return dflt;
        }
        if (parsed < min) {
            error(key, (min == 1 ? "must be > 0" : "must be >= " + min) + ", got " + parsed);
            return dflt;
        }
        if (parsed > max) {
            error(key, "must be <= " + max + ", got " + parsed);
            return dflt;
        }
        return parsed;
    }

    boolean bool(String key, boolean dflt) {
        YamlNode value = raw(key);
        if (value == null) {
            return dflt;
        }
        if (value instanceof ScalarNode scalar && scalar.kind() == ScalarKind.BOOLEAN) {
            return Boolean.parseBoolean(scalar.text()) || scalar.text().equalsIgnoreCase("yes")
                    || scalar.text().equalsIgnoreCase("on") || scalar.text().equalsIgnoreCase("y");
        }
        error(key, "expected true or false, got " + value.describe());
        return dflt;
    }

    /** A non-negative amount of money such as {@code 20.00}. */
    BigDecimal money(String key, BigDecimal dflt) {
        YamlNode value = raw(key);
        if (value == null) {
            return dflt;
        }
        if (value instanceof ScalarNode scalar
                && (scalar.kind() == ScalarKind.INTEGER || scalar.kind() == ScalarKind.DECIMAL
                    || scalar.kind() == ScalarKind.STRING)) {
            try {
                BigDecimal amount = new BigDecimal(scalar.text().trim());
                if (amount.signum() < 0) {
                    error(key, "must be >= 0, got " + scalar.text());
                    return dflt;
                }
                return amount;
            } catch (NumberFormatException e) {
                error(key, "expected an amount such as 20.00, got " + value.describe());
                return dflt;
            }
        }
        error(key, "expected an amount such as 20.00, got " + value.describe());
        return dflt;
    }

    /** The items of a list (absent: empty). A lone scalar is an error, not a one-item list. */
    List<YamlNode> list(String key) {
        YamlNode value = raw(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof ListNode list) {
            return list.items();
        }
        error(key, "expected a list, got " + value.describe());
        return List.of();
    }

    /** A list of scalars as text, each non-empty; errors name the item's index. */
    List<Item> stringList(String key) {
        return stringList(key, null);
    }

    /**
     * A list of scalars as text; when {@code emptyMessage} is given, a list that is present
     * but empty is an error with that message.
     */
    List<Item> stringList(String key, String emptyMessage) {
        List<YamlNode> items = list(key);
        if (items.isEmpty() && emptyMessage != null && raw(key) instanceof YamlNode.ListNode) {
            error(key, emptyMessage);
        }
        List<Item> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemPath = path(key) + "[" + i + "]";
            if (item instanceof ScalarNode scalar && scalar.kind() != ScalarKind.NULL && !scalar.text().isBlank()) {
                result.add(new Item(scalar.text(), item.mark(), itemPath));
            } else {
                problems.add(item.mark(), itemPath, "expected a non-empty text value, got " + item.describe());
            }
        }
        return result;
    }

    /** One text item of a list with its position. */
    record Item(String text, YamlNode.Mark mark, String path) {
    }

    /** A nested mapping; absent reads as empty so that its defaults apply. */
    MapReader child(String key) {
        return of(raw(key), path(key), problems);
    }

    /** The mapping's entries as raw nodes (for free-form maps such as header_tags). */
    LinkedHashMap<String, Entry> entries(String key) {
        YamlNode value = raw(key);
        LinkedHashMap<String, Entry> result = new LinkedHashMap<>();
        if (value == null) {
            return result;
        }
        if (value instanceof MapNode map) {
            result.putAll(map.entries());
        } else {
            error(key, "expected a mapping, got " + value.describe());
        }
        return result;
    }

    /** Reports every key that no accessor asked for, with a suggestion when one is close. */
    void finish() {
        for (Entry entry : node.entries().values()) {
            if (!known.contains(entry.key())) {
                String suggestion = closest(entry.key(), known);
                problems.add(entry.keyMark(), path(entry.key()), "unknown key"
                        + (suggestion == null ? " (allowed: " + String.join(", ", sortedKnown()) + ")"
                                              : " (did you mean '" + suggestion + "'?)"));
            }
        }
    }

    private List<String> sortedKnown() {
        List<String> keys = new ArrayList<>(known);
        keys.sort(null);
        return keys;
    }

    private static String closest(String key, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(key.toLowerCase(), candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(1, key.length() / 4) ? best : null;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static boolean isNull(YamlNode node) {
        return node instanceof ScalarNode scalar && scalar.kind() == ScalarKind.NULL;
    }
}
