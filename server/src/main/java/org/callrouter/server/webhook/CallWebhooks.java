package org.callrouter.server.webhook;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.ErrorHandler;

/**
 * The webhook deliveries of recent calls, per call, for a call's story
 * ({@code GET /v1/calls/{id}}): each request's state after its last try, its HTTP status, tries,
 * when and the last error. Written by the dispatcher's thread at each try's outcome, read by the
 * admin threads.
 *
 * <p>Bounded: the {@value #MAX_CALLS} calls whose webhooks were tried last are kept; an older
 * call's entries go as a new call comes. A call has at most one entry per request (its events
 * times its campaign's webhooks). Across a restart what the outbox persists comes back: requests
 * still to retry (with their tries so far, their last time unknown) and the dead letters of
 * {@code dead-letter.jsonl}; delivered requests of calls before the restart are not kept.
 *
 * <p>A URL is kept without its query string and user information: receivers put tokens there.
 * Signing secrets are never known here.
 */
public final class CallWebhooks {

    /** How many calls' deliveries are kept. */
    public static final int MAX_CALLS = 10_000;

    private static final ObjectMapper READER = new ObjectMapper();

    /** A request's state after its last try. */
    public enum State {
        /** A try was answered 2xx. */
        DELIVERED,
        /** A try failed and another is due. */
        RETRYING,
        /** Given up on: in {@code dead-letter.jsonl}. */
        DEAD;

        /** The API's word: {@code delivered}, {@code retrying}, {@code dead}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One request's outcome so far.
     *
     * @param event      the webhook event ({@code ended}, ...).
     * @param url        where it was sent, without query string or user information.
     * @param httpStatus the last try's HTTP status, 0 when there was no answer (or it is not known).
     * @param tries      tries so far.
     * @param lastAtMs   when the last try ended (epoch ms), or {@link #UNKNOWN} after a restart.
     * @param error      why the last try failed, or null.
     */
    public record Entry(String event, String url, State state, int httpStatus, int tries, long lastAtMs,
                        String error) {

        /** {@link #lastAtMs} of a retry recovered from the outbox, whose outcome times are not stored. */
        public static final long UNKNOWN = -1;
    }

    private final int maxCalls;
    /** Call id to request key to entry; the oldest call first. */
    private final LinkedHashMap<String, LinkedHashMap<String, Entry>> calls;

    CallWebhooks(int maxCalls) {
        this.maxCalls = maxCalls;
        this.calls = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LinkedHashMap<String, Entry>> eldest) {
                return size() > CallWebhooks.this.maxCalls;
            }
        };
    }

    /**
     * What the outbox in {@code dir} persisted: its dead letters, then the recovered retries. A
     * dead-letter file that cannot be read is reported and what was read is kept: the story is
     * for reading, deliveries do not depend on it.
     */
    static CallWebhooks recovered(Path dir, Outbox.Recovery recovery, ErrorHandler errors) {
        final CallWebhooks found = new CallWebhooks(MAX_CALLS);
        final Path deadLetters = dir.resolve(Outbox.DEAD_LETTER);
        try (BufferedReader in = Files.newBufferedReader(deadLetters, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                found.deadLetter(line);
            }
        } catch (NoSuchFileException none) {
            // Nothing was ever given up on.
        } catch (IOException e) {
            errors.onError(new IOException("webhook outbox: cannot read " + deadLetters + " for the calls' stories", e));
        }
        for (Outbox.Pending p : recovery.pending()) {
            if (p.tries() > 0) {
                found.record(p.delivery().request(), State.RETRYING, 0, p.tries(), Entry.UNKNOWN, null);
            }
        }
        return found;
    }

    private void deadLetter(String line) {
        final JsonNode n;
        try {
            n = READER.readTree(line);
        } catch (IOException cutShort) {
            return;
        }
        final JsonNode r = n == null ? null : n.path("request");
        if (r == null || !r.path("call_id").isTextual() || !r.path("key").isTextual()) {
            return;
        }
        put(r.path("call_id").asText(), r.path("key").asText(), new Entry(r.path("event").asText(),
                publicUrl(r.path("url").asText()), State.DEAD, 0, n.path("tries").asInt(),
                n.path("dead_ms").asLong(Entry.UNKNOWN), n.path("last_error").asText(null)));
    }

    /** Records a try's outcome (the dispatcher's thread); requests of no call are not kept. */
    void record(WebhookRequest request, State state, int httpStatus, int tries, long atMs, String error) {
        if (request.callId() == null) {
            return;
        }
        put(request.callId(), request.key(),
                new Entry(request.event(), publicUrl(request.url()), state, httpStatus, tries, atMs, error));
    }

    private synchronized void put(String callId, String key, Entry entry) {
        LinkedHashMap<String, Entry> of = calls.remove(callId);
        if (of == null) {
            of = new LinkedHashMap<>();
        }
        of.put(key, entry);
        // Re-inserted: the call tried last is the newest.
        calls.put(callId, of);
    }

    /** The call's webhook requests, in the order first tried; empty when none is kept. */
    public synchronized List<Entry> of(String callId) {
        final LinkedHashMap<String, Entry> of = calls.get(callId);
        return of == null ? List.of() : new ArrayList<>(of.values());
    }

    /** How many calls are kept. */
    synchronized int size() {
        return calls.size();
    }

    /** {@code url} without its query string, fragment and user information. */
    static String publicUrl(String url) {
        int end = url.length();
        for (char c : new char[] {'?', '#'}) {
            final int at = url.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String kept = url.substring(0, end);
        final int scheme = kept.indexOf("://");
        final int userEnd = kept.indexOf('@', scheme + 3);
        final int pathStart = kept.indexOf('/', scheme + 3);
        if (scheme >= 0 && userEnd >= 0 && (pathStart < 0 || userEnd < pathStart)) {
            kept = kept.substring(0, scheme + 3) + kept.substring(userEnd + 1);
        }
        return kept;
    }
}
