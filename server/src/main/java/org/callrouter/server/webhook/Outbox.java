package org.callrouter.server.webhook;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.records.RecordJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable webhook outbox: the directory {@code <data_dir>/webhooks}.
 *
 * <ul>
 *   <li>{@code outbox-NNNNNNNNNN.jsonl}: segments of requests, one JSON line each, appended by
 *       the emitter ({@link OutboxWriter}) before the request is first sent. A segment is
 *       closed at 16 MiB (and at each start) and a new one begun.</li>
 *   <li>{@code outbox-NNNNNNNNNN.acks}: beside each segment, what became of its requests, one
 *       text line per event, {@code <line> <state> <tries> <next try epoch ms>}, state
 *       {@code retry}, {@code done} or {@code dead}, appended by the dispatcher
 *       ({@link OutboxAcks}).</li>
 *   <li>{@code dead-letter.jsonl}: requests given up on, with their tries and last error.</li>
 * </ul>
 *
 * A closed segment whose requests are all done or dead is deleted with its acks. At start,
 * {@link #recover} reads every segment and its acks and returns what is still to be sent,
 * with its tries so far and when the next is due, so deliveries survive a crash or a restart.
 */
public final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper READER = new ObjectMapper();
    static final String SEGMENT_PREFIX = "outbox-";
    static final String SEGMENT_SUFFIX = ".jsonl";
    static final String ACKS_SUFFIX = ".acks";
    static final String DEAD_LETTER = "dead-letter.jsonl";

    private Outbox() {
    }

    /** A request still to be delivered, as found at start. */
    public record Pending(Delivery delivery, int tries, long nextTryMs) {
    }

    /**
     * What {@link #recover} found.
     *
     * @param pending     requests still to deliver, oldest first.
     * @param nextSegment the number the next segment must take.
     * @param outstanding per segment holding pending requests, how many.
     */
    public record Recovery(List<Pending> pending, long nextSegment, Map<Long, Integer> outstanding) {
    }

    /** The states of an acks line. */
    enum State {
        RETRY("retry"), DONE("done"), DEAD("dead");

        final String word;

        State(String word) {
            this.word = word;
        }

        static State of(String word) {
            for (State s : values()) {
                if (s.word.equals(word)) {
                    return s;
                }
            }
            return null;
        }
    }

    static Path segment(Path dir, long number) {
        return dir.resolve(String.format("%s%010d%s", SEGMENT_PREFIX, number, SEGMENT_SUFFIX));
    }

    static Path acks(Path dir, long number) {
        return dir.resolve(String.format("%s%010d%s", SEGMENT_PREFIX, number, ACKS_SUFFIX));
    }

    /**
     * Reads the outbox directory (created if missing): the requests not yet done or dead.
     * Segments with nothing left are deleted.
     */
    public static Recovery recover(Path dir) throws IOException {
        Files.createDirectories(dir);
        final TreeMap<Long, Path> segments = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, SEGMENT_PREFIX + "*" + SEGMENT_SUFFIX)) {
            for (Path file : files) {
                final String name = file.getFileName().toString();
                try {
                    segments.put(Long.parseLong(name.substring(SEGMENT_PREFIX.length(),
                            name.length() - SEGMENT_SUFFIX.length())), file);
                } catch (NumberFormatException e) {
                    LOG.warn("outbox: ignoring {}: not a segment name", file);
                }
            }
        }
        final List<Pending> pending = new ArrayList<>();
        final Map<Long, Integer> outstanding = new HashMap<>();
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            final long number = segment.getKey();
            final List<Pending> left = recoverSegment(dir, number, segment.getValue());
            if (left.isEmpty()) {
                Files.deleteIfExists(segment.getValue());
                Files.deleteIfExists(acks(dir, number));
            } else {
                pending.addAll(left);
                outstanding.put(number, left.size());
            }
        }
        final long next = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        if (!pending.isEmpty()) {
            LOG.info("outbox: {} webhook deliveries pending from before the restart", pending.size());
        }
        return new Recovery(pending, next, outstanding);
    }

    private static List<Pending> recoverSegment(Path dir, long number, Path file) throws IOException {
        final List<WebhookRequest> requests = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                requests.add(parse(line));
            }
        }
        final int[] tries = new int[requests.size()];
        final long[] next = new long[requests.size()];
        final boolean[] finished = new boolean[requests.size()];
        try (BufferedReader in = Files.newBufferedReader(acks(dir, number), StandardCharsets.US_ASCII)) {
            String line;
            while ((line = in.readLine()) != null) {
                final String[] f = line.split(" ");
                if (f.length != 4 || State.of(f[1]) == null) {
                    continue;
                }
                try {
                    final int index = Integer.parseInt(f[0]);
                    if (index < 0 || index >= requests.size()) {
                        continue;
                    }
                    tries[index] = Integer.parseInt(f[2]);
                    next[index] = Long.parseLong(f[3]);
                    finished[index] = State.of(f[1]) != State.RETRY;
                } catch (NumberFormatException cutShort) {
                    // The last line of a crash: the try it records may be repeated; receivers dedupe.
                }
            }
        } catch (NoSuchFileException none) {
            // Nothing was tried yet.
        }
        final List<Pending> left = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i) != null && !finished[i]) {
                left.add(new Pending(new Delivery(requests.get(i), number, i), tries[i], next[i]));
            }
        }
        return left;
    }

    /** A segment line back to its request; null for a line cut short by a crash. */
    private static WebhookRequest parse(String line) {
        final JsonNode n;
        try {
            n = READER.readTree(line);
        } catch (IOException cutShort) {
            return null;
        }
        if (n == null || !n.isObject() || !n.hasNonNull("key") || !n.hasNonNull("url")) {
            return null;
        }
        return new WebhookRequest(n.path("key").asText(), n.path("event").asText(), n.path("campaign").asText(null),
                n.path("call_id").asText(null), n.path("url").asText(), n.path("content_type").asText(),
                n.path("body").asText(), n.path("created_ms").asLong());
    }

    /** A request as a segment line. */
    static byte[] line(WebhookRequest r) {
        return RecordJson.write(256 + r.body().length(), g -> {
            g.writeStartObject();
            g.writeStringField("key", r.key());
            g.writeStringField("event", r.event());
            g.writeStringField("campaign", r.campaign());
            g.writeStringField("call_id", r.callId());
            g.writeStringField("url", r.url());
            g.writeStringField("content_type", r.contentType());
            g.writeStringField("body", r.body());
            g.writeNumberField("created_ms", r.createdMs());
            g.writeEndObject();
        });
    }

    /** A dead-letter line: the request, how many tries, the last error. */
    static byte[] deadLetter(WebhookRequest r, int tries, String lastError, long atMs) {
        final String request = new String(line(r), StandardCharsets.UTF_8);
        return RecordJson.write(request.length() + 128, g -> {
            g.writeStartObject();
            g.writeNumberField("dead_ms", atMs);
            g.writeNumberField("tries", tries);
            g.writeStringField("last_error", lastError);
            g.writeFieldName("request");
            g.writeRawValue(request);
            g.writeEndObject();
        });
    }
}
