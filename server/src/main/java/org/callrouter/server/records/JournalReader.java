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

    /** Calls received at or after {@code since} that match, in the order they ended. */
    public List<ObjectNode> query(Query query) {
        final String campaignField = query.campaign() == null ? null : "\"campaign\":" + RecordJson.quote(query.campaign());
        final String statusField = query.status() == null ? null : "\"status\":" + RecordJson.quote(query.status());
        final Predicate<String> cheap = line -> line.startsWith(CALL_LINE)
                && (campaignField == null || line.contains(campaignField))
                && (statusField == null || line.contains(statusField));
        final Predicate<ObjectNode> exact = node -> query.matches(node)
                && millis(node.path("received_at").asText(null)) >= query.sinceMs();
        final List<ObjectNode> out = new ArrayList<>();
        final LocalDate first = Journal.day(query.sinceMs());
        final LocalDate today = Journal.day(wall.millis());
        for (LocalDate day = first; !day.isAfter(today) && out.size() < query.limit(); day = day.plusDays(1)) {
            out.addAll(scan(dir.resolve(Journal.callsFile(day)), cheap, exact, query.limit() - out.size()));
        }
        final Map<String, ObjectNode> byId = new HashMap<>();
        for (ObjectNode call : out) {
            byId.put(call.path("id").asText(), call);
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
        final List<ObjectNode> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!cheap.test(line)) {
                    continue;
                }
                final ObjectNode node;
                try {
                    node = RecordJson.parse(line);
                } catch (IOException cutShort) {
                    continue;
                }
                if (exact.test(node)) {
                    out.add(node);
                    if (out.size() >= limit) {
                        break;
                    }
                }
            }
        } catch (NoSuchFileException absent) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal file " + file, e);
        }
        return out;
    }

    private static long millis(String iso) {
        return iso == null ? Long.MIN_VALUE : java.time.Instant.parse(iso).toEpochMilli();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
