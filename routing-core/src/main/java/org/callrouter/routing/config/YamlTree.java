package org.callrouter.routing.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

import org.callrouter.routing.config.YamlNode.Entry;
import org.callrouter.routing.config.YamlNode.ListNode;
import org.callrouter.routing.config.YamlNode.MapNode;
import org.callrouter.routing.config.YamlNode.ScalarKind;
import org.callrouter.routing.config.YamlNode.ScalarNode;

/**
 * Reads one YAML document with Jackson's streaming YAML parser into a {@link YamlNode}
 * tree with positions. Syntax errors, duplicate keys and aliases are reported through
 * {@link Problems}; aliases are refused because the configuration has no use for them
 * and expanding them is how "billion laughs" documents exhaust memory.
 */
final class YamlTree {

    /** Large enough for a configuration that lists tens of thousands of numbers. */
    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .build();

    private final YAMLParser parser;
    private final Problems problems;

    private YamlTree(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setAllowDuplicateKeys(true); // reported by us, with both positions
        return options;
    }

    /**
     * @return the root node, or {@code null} for an empty document or after a syntax error
     *         (which is then in {@code problems})
     */
    static YamlNode parse(Reader reader, Problems problems) {
        try (YAMLParser parser = FACTORY.createParser(reader)) {
            YamlTree tree = new YamlTree(parser, problems);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = tree.value(first, "");
            if (parser.nextToken() != null) {
                problems.add(mark(parser.currentTokenLocation()), "",
                        "only one YAML document is allowed (found a second one)");
            }
            return root;
        } catch (JsonProcessingException e) {
            syntaxError(e, problems);
            return null;
        } catch (IOException e) {
            problems.add(YamlNode.Mark.NONE, "", "cannot read: " + e.getMessage());
            return null;
        }
    }

    private YamlNode value(JsonToken token, String path) throws IOException {
        YamlNode.Mark mark = mark(parser.currentTokenLocation());
        switch (token) {
            case START_OBJECT:
                return map(mark, path);
            case START_ARRAY:
                return list(mark, path);
            case VALUE_STRING:
                if (parser.isCurrentAlias()) {
                    problems.add(mark, path, "YAML aliases (*" + parser.getText() + ") are not supported; repeat the value");
                    return new ScalarNode(mark, "", ScalarKind.NULL);
                }
                return new ScalarNode(mark, parser.getText(), ScalarKind.STRING);
            case VALUE_NUMBER_INT:
                return new ScalarNode(mark, parser.getText(), ScalarKind.INTEGER);
            case VALUE_NUMBER_FLOAT:
                return new ScalarNode(mark, parser.getText(), ScalarKind.DECIMAL);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new ScalarNode(mark, parser.getText(), ScalarKind.BOOLEAN);
            case VALUE_NULL:
                return new ScalarNode(mark, parser.getText(), ScalarKind.NULL);
            default:
                problems.add(mark, path, "unexpected YAML content " + token);
                return new ScalarNode(mark, "", ScalarKind.NULL);
        }
    }

    private MapNode map(YamlNode.Mark mark, String path) throws IOException {
        MapNode node = new MapNode(mark);
        while (parser.nextToken() != JsonToken.END_OBJECT) {
            String key = parser.currentName();
            YamlNode.Mark keyMark = mark(parser.currentTokenLocation());
            String childPath = path.isEmpty() ? key : path + "." + key;
            YamlNode value = value(parser.nextToken(), childPath);
            Entry previous = node.entries().get(key);
            if (previous != null) {
                problems.add(keyMark, childPath, "duplicate key (first at line " + previous.keyMark().line() + ")");
            } else {
                node.entries().put(key, new Entry(key, keyMark, value));
            }
        }
        return node;
    }

    private ListNode list(YamlNode.Mark mark, String path) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(value(token, path + "[" + items.size() + "]"));
        }
        return new ListNode(mark, items);
    }

    private static YamlNode.Mark mark(JsonLocation location) {
        return location == null ? YamlNode.Mark.NONE : new YamlNode.Mark(location.getLineNr(), location.getColumnNr());
    }

    /** Turns SnakeYAML's multi-line message into one line at the position of the problem. */
    private static void syntaxError(JsonProcessingException e, Problems problems) {
        if (e.getCause() instanceof MarkedYAMLException marked) {
            Mark at = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            YamlNode.Mark mark = at == null ? YamlNode.Mark.NONE : new YamlNode.Mark(at.getLine() + 1, at.getColumn() + 1);
            String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
            String problem = marked.getProblem() == null ? marked.getMessage() : marked.getProblem();
            problems.add(mark, "", "YAML syntax error: " + context + problem);
        } else {
            problems.add(mark(e.getLocation()), "", "YAML error: " + e.getOriginalMessage());
        }
    }
}
