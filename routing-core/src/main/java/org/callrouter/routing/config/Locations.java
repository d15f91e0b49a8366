package org.callrouter.routing.config;

import java.util.HashMap;
import java.util.Map;

import org.callrouter.routing.config.YamlNode.Entry;
import org.callrouter.routing.config.YamlNode.ListNode;
import org.callrouter.routing.config.YamlNode.MapNode;

/**
 * Where each field path of a loaded file was written, so that problems found after
 * loading (cross-references, a reload that changes {@code data_dir}) can still name a
 * line and column.
 */
final class Locations {

    private final Map<String, YamlNode.Mark> marks = new HashMap<>();

    static Locations of(YamlNode root) {
        Locations locations = new Locations();
        if (root != null) {
            locations.walk(root, "");
        }
        return locations;
    }

    private void walk(YamlNode node, String path) {
        marks.put(path, node.mark());
        if (node instanceof MapNode map) {
            for (Entry entry : map.entries().values()) {
                walk(entry.value(), path.isEmpty() ? entry.key() : path + "." + entry.key());
            }
        } else if (node instanceof ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                walk(list.items().get(i), path + "[" + i + "]");
            }
        }
    }

    /** The position of the path, or of its nearest written ancestor (defaults are not written). */
    YamlNode.Mark mark(String path) {
        String p = path;
        while (true) {
            YamlNode.Mark mark = marks.get(p);
            if (mark != null) {
                return mark;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return marks.getOrDefault("", YamlNode.Mark.NONE);
            }
            p = p.substring(0, cut);
        }
    }
}
