package org.callrouter.routing.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node was written, so that every
 * configuration error can name its line and column (Jackson's own tree forgets them).
 */
sealed interface YamlNode permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.ScalarNode {

    /** 1-based position of the node's first character. */
    record Mark(int line, int column) {
        static final Mark NONE = new Mark(0, 0);
    }

    Mark mark();

    /** What the node is, for "expected X, got Y" messages. */
    String describe();

    /** A mapping; keys keep their order and their own positions. */
    record MapNode(Mark mark, Map<String, Entry> entries) implements YamlNode {
        MapNode(Mark mark) {
            this(mark, new LinkedHashMap<>());
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    /** One key of a mapping. */
    record Entry(String key, Mark keyMark, YamlNode value) {
    }

    /** A sequence. */
    record ListNode(Mark mark, List<YamlNode> items) implements YamlNode {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** The YAML type Jackson resolved for a plain or quoted scalar. */
    enum ScalarKind { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    /** A scalar with the text as written and the type YAML gives it. */
    record ScalarNode(Mark mark, String text, ScalarKind kind) implements YamlNode {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "the text \"" + text + "\"";
                case INTEGER, DECIMAL -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "null";
            };
        }
    }
}
