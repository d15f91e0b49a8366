package org.callrouter.routing.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.callrouter.routing.config.YamlNode.Entry;
import org.callrouter.routing.config.YamlNode.ScalarNode;
import org.callrouter.routing.criteria.BuiltinTag;
import org.callrouter.routing.phone.PhoneNumbers;

/**
 * Reads {@code campaigns[].pools}: each pool's fields and numbers (inline or from a
 * {@code numbers_file}), with pool ids unique across campaigns and each number in at most one
 * pool (the overflow number included, so a call to it names one pool).
 */
final class PoolReader {

    /** Most numbers one pool may have (a {@code numbers_file} can list this many). */
    static final int MAX_POOL_NUMBERS = 1_000_000;
    private static final Pattern POOL_ID = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final Problems problems;
    private final PhoneNumbers phones;
    private final Path configDir;
    private final Map<String, YamlNode.Mark> sourceIds;
    private final Map<String, YamlNode.Mark> poolIds = new HashMap<>();
    /** Pool number → the pool that has it. */
    private final Map<Long, String> poolOfNumber = new HashMap<>();

    PoolReader(Problems problems, PhoneNumbers phones, Path configDir, Map<String, YamlNode.Mark> sourceIds) {
        this.problems = problems;
        this.phones = phones;
        this.configDir = configDir;
        this.sourceIds = sourceIds;
    }

    /** The pool a number belongs to (its numbers and overflow number), or null. */
    String poolOf(long number) {
        return poolOfNumber.get(number);
    }

    /** The pools of a campaign ({@code campaign} is null when its id was invalid: pools are still checked). */
    List<PoolConfig> pools(MapReader c, String campaign) {
        List<PoolConfig> result = new ArrayList<>();
        List<YamlNode> items = c.list("pools");
        for (int i = 0; i < items.size(); i++) {
            MapReader p = MapReader.of(items.get(i), c.path("pools") + "[" + i + "]", problems);
            PoolConfig pool = pool(p, campaign);
            if (pool != null) {
                result.add(pool);
            }
        }
        return result;
    }

    private PoolConfig pool(MapReader p, String campaign) {
        String id = p.requiredString("id");
        if (id != null && !POOL_ID.matcher(id).matches()) {
            p.error("id", "must be 1-64 of a-z 0-9 _ -, got \"" + id + "\"");
            id = null;
        }
        if (id != null) {
            YamlNode.Mark first = poolIds.putIfAbsent(id, p.markOf("id"));
            if (first != null) {
                p.error("id", "duplicate pool id \"" + id + "\" (first at line " + first.line() + ")");
                id = null;
            }
        }
        String label = id != null ? id : p.path();
        List<String> numbers = numbers(p, label);
        String source = p.requiredString("source");
        if (source != null && !sourceIds.containsKey(source)) {
            p.error("source", "unknown source \"" + source + "\"");
            source = null;
        }
        int lease = p.integer("lease_seconds", 1800, 30, 7 * 86_400);
        boolean renew = p.bool("renew", true);
        boolean releaseOnCallEnd = p.bool("release_on_call_end", false);
        int grace = p.integer("attribution_grace_seconds", 600, 0, 7 * 86_400);
        String overflow = null;
        String overflowText = p.string("overflow_number", null);
        if (overflowText != null) {
            overflow = claim(overflowText, p.markOf("overflow_number"), p.path("overflow_number"), label);
        }
        List<String> origins = origins(p);
        List<String> tagsAllowed = tagsAllowed(p);
        Map<String, String> sourceRule = sourceRule(p);
        p.finish();
        if (id == null || campaign == null || source == null || numbers.isEmpty()) {
            return null;
        }
        return new PoolConfig(id, campaign, numbers, source, lease, renew, releaseOnCallEnd, grace, overflow, origins,
                tagsAllowed, sourceRule);
    }

    private List<String> numbers(MapReader p, String pool) {
        boolean inline = p.has("numbers");
        boolean file = p.has("numbers_file");
        if (inline == file) {
            p.error(inline ? "numbers_file" : "numbers", inline ? "give either numbers or numbers_file, not both"
                    : "is required: give numbers: [\"+18005550200\", ...] or numbers_file: pools/name.txt");
        }
        List<String> result = new ArrayList<>();
        if (inline) {
            for (MapReader.Item item : p.stringList("numbers", "must list at least one number")) {
                String number = claim(item.text(), item.mark(), item.path(), pool);
                if (number != null) {
                    result.add(number);
                }
            }
        } else if (file) {
            result.addAll(numbersFile(p, pool));
        }
        if (result.size() > MAX_POOL_NUMBERS) {
            p.error(inline ? "numbers" : "numbers_file", "at most " + MAX_POOL_NUMBERS + " numbers per pool, got "
                    + result.size());
            return List.of();
        }
        return result;
    }

    /** One E.164 per line; {@code #} starts a comment; blank lines are skipped. Errors name the file's line. */
    private List<String> numbersFile(MapReader p, String pool) {
        String name = p.string("numbers_file", null);
        Path path;
        try {
            path = configDir.resolve(name).normalize();
        } catch (InvalidPathException e) {
            p.error("numbers_file", "not a valid path: " + e.getMessage());
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            p.error("numbers_file", "file not found: " + path);
            return List.of();
        } catch (CharacterCodingException e) {
            p.error("numbers_file", path + " is not UTF-8 text");
            return List.of();
        } catch (IOException e) {
            p.error("numbers_file", "cannot read " + path + ": " + e);
            return List.of();
        }
        List<String> result = new ArrayList<>();
        String fieldPath = p.path("numbers_file");
        for (int i = 0; i < lines.size() && result.size() <= MAX_POOL_NUMBERS; i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (text.isEmpty()) {
                continue;
            }
            int column = line.indexOf(text.charAt(0)) + 1;
            long number = phones.parse(text);
            if (number < 0) {
                problems.addIn(path.toString(), i + 1, column, fieldPath, "\"" + text
                        + "\" is not a phone number (default region " + phones.region() + ")");
                continue;
            }
            String owner = poolOfNumber.putIfAbsent(number, pool);
            if (owner != null) {
                problems.addIn(path.toString(), i + 1, column, fieldPath, twice(number, owner, pool));
                continue;
            }
            result.add(PhoneNumbers.format(number));
        }
        return result;
    }

    /** Parses a pool number and records it for the pool; null (after an error) when invalid or taken. */
    private String claim(String text, YamlNode.Mark mark, String path, String pool) {
        long number = phones.parse(text);
        if (number < 0) {
            problems.add(mark, path, "\"" + text + "\" is not a phone number (default region " + phones.region() + ")");
            return null;
        }
        String owner = poolOfNumber.putIfAbsent(number, pool);
        if (owner != null) {
            problems.add(mark, path, twice(number, owner, pool));
            return null;
        }
        return PhoneNumbers.format(number);
    }

    private static String twice(long number, String owner, String pool) {
        return PhoneNumbers.format(number) + (owner.equals(pool) ? " is listed twice in this pool"
                : " is already in pool \"" + owner + "\"; a number belongs to one pool");
    }

    /** Exact {@code Origin} values (scheme://host[:port], no path) or {@code *}. */
    private static List<String> origins(MapReader p) {
        Set<String> result = new LinkedHashSet<>();
        for (MapReader.Item item : p.stringList("allowed_origins")) {
            String text = item.text();
            String problem = text.equals("*") ? null : originProblem(text);
            if (problem != null) {
                p.problems().add(item.mark(), item.path(), problem);
            } else if (!result.add(text)) {
                p.problems().add(item.mark(), item.path(), "\"" + text + "\" is listed twice");
            }
        }
        return List.copyOf(result);
    }

    private static String originProblem(String text) {
        String expected = "expected an origin such as https://www.example.com (scheme, host and optional port;"
                + " no path or trailing slash) or *, got \"" + text + "\"";
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return expected;
            }
            if (!text.equals(text.toLowerCase(Locale.ROOT))) {
                return "browsers send origins in lower case: write \"" + text.toLowerCase(Locale.ROOT) + "\"";
            }
            return null;
        } catch (URISyntaxException e) {
            return expected;
        }
    }

    private static List<String> tagsAllowed(MapReader p) {
        Set<String> result = new LinkedHashSet<>();
        for (MapReader.Item item : p.stringList("tags_allowed")) {
            String name = item.text();
            if (!TAG_NAME.matcher(name).matches()) {
                p.problems().add(item.mark(), item.path(), "a tag name is 1-64 of A-Z a-z 0-9 _, got \"" + name + "\"");
            } else if (BuiltinTag.of(name) != null || PoolConfig.SESSION_TAGS.contains(name)) {
                p.problems().add(item.mark(), item.path(), "\"" + name + "\" is a tag the router sets itself");
            } else if (!result.add(name)) {
                p.problems().add(item.mark(), item.path(), "\"" + name + "\" is listed twice");
            }
        }
        return List.copyOf(result);
    }

    /** {@code utm_source} value (matched case-insensitively) → a known source id. */
    private Map<String, String> sourceRule(MapReader p) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Entry entry : p.entries("source_rule").values()) {
            String path = p.path("source_rule") + "." + entry.key();
            if (!(entry.value() instanceof ScalarNode scalar) || MapReader.isNull(scalar) || scalar.text().isBlank()) {
                problems.add(entry.value().mark(), path, "expected a source id, got " + entry.value().describe());
                continue;
            }
            String key = entry.key().toLowerCase(Locale.ROOT);
            if (!sourceIds.containsKey(scalar.text())) {
                problems.add(scalar.mark(), path, "unknown source \"" + scalar.text() + "\"");
            } else if (result.putIfAbsent(key, scalar.text()) != null) {
                problems.add(entry.keyMark(), path, "\"" + entry.key() + "\" is listed twice (utm_source is matched"
                        + " without regard to case)");
            }
        }
        return result;
    }
}
