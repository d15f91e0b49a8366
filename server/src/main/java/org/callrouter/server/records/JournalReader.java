package org.callrouter.server.records;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the journal ({@link Journal}) for the admin API: one call by id, or the calls matching
 * a query, each merged with its later {@code conversion} lines. Safe beside the writer: a line
 * still being written does not parse and is skipped.
 *
 * <p>A call's id starts with its arrival time ({@code c<hex epoch ms>...}), so finding it reads
 * only the files of the days it can have ended on. A query reads the days from its
 * {@code since} to today, in journal order (the order calls ended), and stops at its limit.
 */
public final class JournalReader {

    private static final String CALL_LINE = "{\"record\":\"call\",";
    private static final long DAY_MS = 86_400_000L;
    /** The random part of a call id, after the hex time. */
    private static final int ID_RANDOM_CHARS = 10;

    private final Path dir;
    private final Clock wall;
    private final long maxCallMs;

    /**
     * @param maxCallMs the longest a call can last from arrival to end (ringing included).
     */
    public JournalReader(Path dir, Clock wall, long maxCallMs) {
        this.dir = dir;
        this.wall = wall;
        this.maxCallMs = maxCallMs;
    }

    /**
     * The calls the query asks for, at most its limit. Null fields match everything;
     * {@code handler} matches a call that handler answered or was tried for, {@code caller}
     * any caller number containing it (an operator types the digits they remember).
     */
    public record Query(String campaign, String source, String handler, String caller, String status, long sinceMs,
                        int limit) {

        /** By campaign and status only. */
        public Query(String campaign, String status, long sinceMs, int limit) {
            this(campaign, null, null, null, status, sinceMs, limit);
        }

        boolean matches(ObjectNode node) {
            return (campaign == null || campaign.equals(node.path("campaign").asText(null)))
                    && (source == null || source.equals(node.path("source").asText(null)))
                    && (status == null || status.equals(node.path("status").asText(null)))
                    && (caller == null || node.path("caller").asText("").contains(caller))
                    && (handler == null || triedBy(node, handler));
        }

        private static boolean triedBy(ObjectNode node, String handler) {
            if (handler.equals(node.path("handler").asText(null))) {
                return true;
            }
            for (JsonNode attempt : node.path("attempts")) {
                if (handler.equals(attempt.path("handler").asText(null))) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The record of a finished call with its conversions merged, or empty when the journal
     * does not have it (an id not made by this router, a call in progress, or older files removed).
     */
    public Optional<ObjectNode> find(String id) {
        final long receivedMs = arrivalOf(id);
        if (receivedMs < 0) {
            return Optional.empty();
        }
        final String prefix = RecordJson.callPrefix(id);
        final LocalDate today = Journal.day(wall.millis());
        final LocalDate last = min(Journal.day(receivedMs + maxCallMs + DAY_MS), today);
        for (LocalDate day = Journal.day(receivedMs); !day.isAfter(last); day = day.plusDays(1)) {
            final List<ObjectNode> found = scan(dir.resolve(Journal.callsFile(day)), line -> line.startsWith(prefix),
                    node -> true, 1);
            if (!found.isEmpty()) {
                mergeConversions(Map.of(id, found.get(0)), Journal.day(receivedMs), today);
                return Optional.of(found.get(0));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code call} (a record from elsewhere, such as the lead store) with the journal's
     * conversion lines of it merged in: the store may not have the latest yet.
     */
    public ObjectNode withConversions(ObjectNode call) {
        final String id = call.path("id").asText();
        final long receivedMs = arrivalOf(id);
        if (receivedMs >= 0) {
            mergeConversions(Map.of(id, call), Journal.day(receivedMs), Journal.day(wall.millis()));
        }
        return call;
    }

    /** Where a call's line is: its day's calls file and the line there, from 0. */
    public record Position(LocalDate day, int line) {
    }

    /** A call found by {@link #page} and where its line is (the next page starts after it). */
    public record Listed(ObjectNode call, Position at) {
    }

    /** Calls received at or after {@code since} that match, in the order they ended. */
    public List<ObjectNode> query(Query query) {
        return page(query, null).stream().map(Listed::call).toList();
    }

    /**
     * Like {@link #query}, from the line after {@code after} (null: from the start): the files
     * only grow, so a page's position stays where it was and no call is listed twice.
     */
    public List<Listed> page(Query query, Position after) {
        final String campaignField = query.campaign() == null ? null : "\"campaign\":" + RecordJson.quote(query.campaign());
        final String statusField = query.status() == null ? null : "\"status\":" + RecordJson.quote(query.status());
        final Predicate<String> cheap = line -> line.startsWith(CALL_LINE)
                && (campaignField == null || line.contains(campaignField))
                && (statusField == null || line.contains(statusField));
        final Predicate<ObjectNode> exact = node -> query.matches(node)
                && millis(node.path("received_at").asText(null)) >= query.sinceMs();
        final List<Listed> out = new ArrayList<>();
        final LocalDate first = Journal.day(query.sinceMs());
        final LocalDate today = Journal.day(wall.millis());
        final LocalDate start = after == null || after.day().isBefore(first) ? first : after.day();
        for (LocalDate day = start; !day.isAfter(today) && out.size() < query.limit(); day = day.plusDays(1)) {
            final int from = after != null && day.equals(after.day()) ? after.line() + 1 : 0;
            scan(dir.resolve(Journal.callsFile(day)), day, from, cheap, exact, query.limit() - out.size(), out);
        }
        final Map<String, ObjectNode> byId = new HashMap<>();
        for (Listed listed : out) {
            byId.put(listed.call().path("id").asText(), listed.call());
        }
        mergeConversions(byId, first, today);
        return out;
    }

    /** The arrival time a call id carries, or -1 when the id is not one of ours. */
    static long arrivalOf(String id) {
        if (id == null || id.length() <= 1 + ID_RANDOM_CHARS || id.charAt(0) != 'c' || id.length() > 40) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(1, id.length() - ID_RANDOM_CHARS), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Merges each call's conversion lines (written between {@code from} and {@code to}) into it. */
    private void mergeConversions(Map<String, ObjectNode> calls, LocalDate from, LocalDate to) {
        if (calls.isEmpty()) {
            return;
        }
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            final List<ObjectNode> conversions = scan(dir.resolve(Journal.conversionsFile(day)), line -> true,
                    node -> calls.containsKey(node.path("id").asText()), Integer.MAX_VALUE);
            for (ObjectNode conversion : conversions) {
                RecordJson.mergeConversion(calls.get(conversion.path("id").asText()), conversion);
            }
        }
    }

    /**
     * The lines of {@code file} that pass the text test, parse, and pass the tree test, at most
     * {@code limit}; none when the file does not exist (no call ended that day).
     */
    private static List<ObjectNode> scan(Path file, Predicate<String> cheap, Predicate<ObjectNode> exact, int limit) {
        final List<Listed> out = new ArrayList<>();
        scan(file, null, 0, cheap, exact, limit, out);
        return out.stream().map(Listed::call).toList();
    }

    /** Adds to {@code out} at most {@code limit} matching lines of {@code file}, from line {@code fromLine}. */
    private static void scan(Path file, LocalDate day, int fromLine, Predicate<String> cheap,
                             Predicate<ObjectNode> exact, int limit, List<Listed> out) {
        if (limit <= 0) {
            return;
        }
        int found = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            for (int index = 0; (line = in.readLine()) != null; index++) {
                if (index < fromLine || !cheap.test(line)) {
                    continue;
                }
                final ObjectNode node;
                try {
                    node = RecordJson.parse(line);
                } catch (IOException cutShort) {
                    continue;
                }
                if (exact.test(node)) {
                    out.add(new Listed(node, new Position(day, index)));
                    if (++found >= limit) {
                        break;
                    }
                }
            }
        } catch (NoSuchFileException absent) {
            // No call that day.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal file " + file, e);
        }
    }

    private static long millis(String iso) {
        return iso == null ? Long.MIN_VALUE : RecordJson.parseTime(iso);
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
