package org.callrouter.server.records;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.callrouter.routing.ConversionOutcome;
import org.callrouter.routing.Skip;
import org.callrouter.server.b2bua.AttemptResult;
import org.callrouter.server.b2bua.CallStatus;

/**
 * The journal's JSON lines (see the server README, "Journal"): a {@code call} line per
 * finished call and a {@code conversion} line per postback that converted a call after it
 * ended. Field names are snake case; times are ISO-8601 UTC with milliseconds; amounts are
 * JSON numbers with their exact decimal digits.
 */
public final class RecordJson {

    /** {@code record} of a call line. */
    public static final String CALL = "call";
    /** {@code record} of a conversion line. */
    public static final String CONVERSION = "conversion";
    /** {@code status} of a call the emitter still holds open. */
    public static final String IN_PROGRESS = "in-progress";

    private static final JsonFactory JSON = new JsonFactory();
    /** Reads and writes lines keeping decimals exact and plain ({@code 25.00} stays {@code 25.00}). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final long DAY_MS = 86_400_000L;
    private static volatile DayPrefix dayPrefix = new DayPrefix(Long.MIN_VALUE, "");

    private RecordJson() {
    }

    /** Writes JSON with a generator; the generator's I/O cannot fail, it writes to memory. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** The bytes {@code writer} writes ({@code sizeHint} bytes are reserved first). */
    public static byte[] write(int sizeHint, Writer writer) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writer.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** The line prefix of {@code call} lines of {@code id} (what the reader looks for). */
    public static String callPrefix(String id) {
        return "{\"record\":\"call\",\"id\":" + quote(id);
    }

    /** The line prefix of {@code conversion} lines of {@code id}. */
    public static String conversionPrefix(String id) {
        return "{\"record\":\"conversion\",\"id\":" + quote(id);
    }

    /** The record as one line of JSON (no newline); an open call has status {@code in-progress}. */
    public static byte[] callLine(CallRecord r) {
        return write(2048, g -> {
            g.writeStartObject();
            g.writeStringField("record", CALL);
            g.writeStringField("id", r.id());
            g.writeStringField("key", r.key());
            g.writeStringField("status", r.status() == null ? IN_PROGRESS : r.status().label());
            g.writeNumberField("sip_status", r.sipStatus());
            g.writeStringField("reason", r.reason());
            g.writeStringField("campaign", r.campaign());
            g.writeStringField("source", r.source());
            g.writeStringField("caller", r.caller());
            g.writeStringField("dialed", r.dialed());
            g.writeStringField("received_at", time(r.receivedMs()));
            g.writeStringField("answered_at", time(r.answeredMs()));
            g.writeStringField("ended_at", time(r.endedMs()));
            g.writeFieldName("ring_seconds");
            g.writeNumber(seconds(r.ringMs()));
            g.writeFieldName("talk_seconds");
            g.writeNumber(seconds(r.talkMs()));
            g.writeStringField("handler", r.answeredBy());
            writeConversion(g, r);
            if (r.convertedAtMs() != CallRecord.NO_TIME) {
                g.writeStringField("converted_at", time(r.convertedAtMs()));
            }
            g.writeArrayFieldStart("attempts");
            for (CallRecord.Attempt a : r.attempts()) {
                g.writeStartObject();
                g.writeStringField("handler", a.handler());
                g.writeStringField("started_at", time(a.startedMs()));
                g.writeStringField("ended_at", time(a.endedMs()));
                g.writeStringField("result", a.result() == null ? null : a.result().label());
                g.writeNumberField("sip_status", a.sipStatus());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("skipped");
            for (Skip s : r.skipped()) {
                g.writeStartObject();
                g.writeStringField("handler", s.handlerId());
                g.writeStringField("reason", s.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> tag : r.tags().entrySet()) {
                g.writeStringField(tag.getKey(), tag.getValue());
            }
            g.writeEndObject();
            if (r.session() != null) {
                g.writeStringField("session", r.session());
                g.writeArrayFieldStart("page_path");
                for (String page : r.pagePath()) {
                    g.writeString(page);
                }
                g.writeEndArray();
            }
            if (r.callbackOf() != null) {
                g.writeStringField("callback_of", r.callbackOf());
                g.writeStringField("callback_id", r.callbackId());
                g.writeNumberField("callback_attempt", r.callbackAttempt());
            }
            g.writeFieldName("routing_seconds");
            if (r.routingNs() == CallEvents.NOT_ROUTED) {
                g.writeNull();
            } else {
                g.writeNumber(BigDecimal.valueOf(r.routingNs(), 9).stripTrailingZeros().max(BigDecimal.ZERO).toPlainString());
            }
            if (r.incomplete()) {
                g.writeBooleanField("incomplete", true);
            }
            g.writeEndObject();
        });
    }

    /**
     * A {@code conversion} line: the call's whole conversion state after a postback, so that
     * merging it over the {@code call} line (later keys win) gives the current record.
     */
    public static byte[] conversionLine(CallRecord r, long atMs) {
        return write(384, g -> {
            g.writeStartObject();
            g.writeStringField("record", CONVERSION);
            g.writeStringField("id", r.id());
            g.writeStringField("converted_at", time(atMs));
            g.writeStringField("campaign", r.campaign());
            g.writeStringField("handler", r.answeredBy());
            writeConversion(g, r);
            g.writeEndObject();
        });
    }

    /**
     * Parses one journal line.
     *
     * @throws IOException when it is not JSON (a line cut short by a crash).
     */
    public static ObjectNode parse(String line) throws IOException {
        final JsonNode node = MAPPER.readTree(line);
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The mapper that keeps the journal's decimals as written (for the admin API's answers too). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Merges a {@code conversion} line into its call's line: the conversion's fields replace
     * the call's (apply a call's conversions in journal order, the latest wins).
     */
    public static void mergeConversion(ObjectNode call, ObjectNode conversion) {
        conversion.remove("record");
        conversion.remove("id");
        call.setAll(conversion);
    }

    /** Writes a JSON tree as one line (no newline). */
    public static String toText(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
    }

    /** The record back from a {@code call} line (merged with its conversion lines, if any). */
    public static CallRecord read(JsonNode line) {
        final CallRecord r = new CallRecord(line.path("id").asText());
        r.key = text(line, "key");
        r.status = status(text(line, "status"));
        r.sipStatus = line.path("sip_status").asInt();
        r.reason = text(line, "reason");
        r.campaign = text(line, "campaign");
        r.source = text(line, "source");
        r.caller = text(line, "caller");
        r.dialed = text(line, "dialed");
        r.receivedMs = millis(line, "received_at");
        r.answeredMs = millis(line, "answered_at");
        r.endedMs = millis(line, "ended_at");
        r.ringMs = line.path("ring_seconds").decimalValue().movePointRight(3).longValue();
        r.talkMs = line.path("talk_seconds").decimalValue().movePointRight(3).longValue();
        r.handler = text(line, "handler");
        r.conversion = conversion(line.path("conversion"));
        r.convertedAtMs = millis(line, "converted_at");
        for (JsonNode a : line.path("attempts")) {
            final CallRecord.Attempt attempt = new CallRecord.Attempt(a.path("handler").asText(),
                    millis(a, "started_at"));
            attempt.endedMs = millis(a, "ended_at");
            attempt.result = attemptResult(text(a, "result"));
            attempt.sipStatus = a.path("sip_status").asInt();
            r.attempt(attempt);
        }
        for (JsonNode s : line.path("skipped")) {
            r.skipped(new Skip(s.path("handler").asText(), s.path("reason").asText()));
        }
        final TagArray tags = new TagArray(line.path("tags").size());
        for (Iterator<Map.Entry<String, JsonNode>> it = line.path("tags").fields(); it.hasNext(); ) {
            final Map.Entry<String, JsonNode> tag = it.next();
            tags.add(tag.getKey(), tag.getValue().asText());
        }
        r.tags = tags;
        r.session = text(line, "session");
        final List<String> path = new ArrayList<>();
        for (JsonNode page : line.path("page_path")) {
            path.add(page.asText());
        }
        r.pagePath = List.copyOf(path);
        r.callbackOf = text(line, "callback_of");
        r.callbackId = text(line, "callback_id");
        r.callbackAttempt = line.path("callback_attempt").asInt(0);
        final JsonNode routing = line.path("routing_seconds");
        r.routingNs = routing.isNumber() ? routing.decimalValue().movePointRight(9).longValue() : CallEvents.NOT_ROUTED;
        r.incomplete = line.path("incomplete").asBoolean(false);
        return r;
    }

    /** {@code 2026-03-09T14:00:00.123Z}, or null for {@link CallRecord#NO_TIME}. */
    public static String time(long ms) {
        if (ms == CallRecord.NO_TIME) {
            return null;
        }
        final long day = Math.floorDiv(ms, DAY_MS);
        DayPrefix prefix = dayPrefix;
        if (prefix.day != day) {
            // Every record of a day shares its date: format it once a day, the time of day by arithmetic.
            prefix = new DayPrefix(day, TIME.format(Instant.ofEpochMilli(day * DAY_MS)).substring(0, 11));
            dayPrefix = prefix;
        }
        final int inDay = (int) Math.floorMod(ms, DAY_MS);
        final char[] out = new char[24];
        prefix.text.getChars(0, 11, out, 0);
        twoDigits(out, 11, inDay / 3_600_000);
        out[13] = ':';
        twoDigits(out, 14, inDay / 60_000 % 60);
        out[16] = ':';
        twoDigits(out, 17, inDay / 1000 % 60);
        out[19] = '.';
        final int millis = inDay % 1000;
        out[20] = (char) ('0' + millis / 100);
        twoDigits(out, 21, millis % 100);
        out[23] = 'Z';
        return new String(out);
    }

    private static void twoDigits(char[] out, int at, int value) {
        out[at] = (char) ('0' + value / 10);
        out[at + 1] = (char) ('0' + value % 10);
    }

    /**
     * The epoch milliseconds of a journal time, as {@code Instant.parse(text).toEpochMilli()}.
     * The shape {@link #time} writes ({@code 2026-03-09T14:00:00.123Z}) is read by arithmetic:
     * {@code Instant.parse} was about a fifth of the store ingest's Java time, three to five
     * times a call (loadtest/RESULTS.md, "Where a call's CPU goes"). Anything else (other
     * precisions, offsets, a leap second, a bad date) goes to {@code Instant.parse}, which
     * gives the same answer or the same error.
     *
     * @throws java.time.format.DateTimeParseException when the text is not an ISO-8601 instant
     */
    public static long parseTime(String text) {
        if (text.length() == 24 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(23) == 'Z') {
            final int year = digits(text, 0, 4);
            final int month = digits(text, 5, 2);
            final int day = digits(text, 8, 2);
            final int hour = digits(text, 11, 2);
            final int minute = digits(text, 14, 2);
            final int second = digits(text, 17, 2);
            final int millis = digits(text, 20, 3);
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1
                    && day <= Month.of(month).length(Year.isLeap(year))
                    && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59
                    && millis >= 0) {
                final long epochDay = LocalDate.of(year, month, day).toEpochDay();
                return epochDay * DAY_MS + hour * 3_600_000L + minute * 60_000L + second * 1000L + millis;
            }
        }
        return Instant.parse(text).toEpochMilli();
    }

    /** The decimal value of {@code count} ASCII digits from {@code at}; -1 when one is not a digit. */
    private static int digits(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            final int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** The date part ({@code 2026-03-09T}) of the last day a time was formatted in. */
    private record DayPrefix(long day, String text) {
    }

    /** The label of a conversion side's status in records: {@code converted}, {@code not-converted}... */
    public static String label(ConversionOutcome.Status status) {
        return status.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void writeConversion(JsonGenerator g, CallRecord r) throws IOException {
        g.writeBooleanField("converted", r.converted());
        g.writeFieldName("revenue");
        g.writeNumber(r.revenue());
        g.writeFieldName("payout");
        g.writeNumber(r.payout());
        final ConversionOutcome c = r.conversion();
        if (c == null) {
            g.writeNullField("conversion");
            return;
        }
        g.writeObjectFieldStart("conversion");
        writeSide(g, "source", c.source());
        writeSide(g, "handler", c.handler());
        g.writeEndObject();
    }

    private static void writeSide(JsonGenerator g, String name, ConversionOutcome.Side side) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("status", label(side.status()));
        g.writeFieldName("amount");
        g.writeNumber(side.amount() == null ? BigDecimal.ZERO : side.amount());
        g.writeStringField("reason", side.reason());
        g.writeEndObject();
    }

    private static ConversionOutcome conversion(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return new ConversionOutcome(side(node.path("source")), side(node.path("handler")));
    }

    private static ConversionOutcome.Side side(JsonNode node) {
        ConversionOutcome.Status status = ConversionOutcome.Status.NO_RULE;
        final String label = text(node, "status");
        for (ConversionOutcome.Status s : ConversionOutcome.Status.values()) {
            if (label(s).equals(label)) {
                status = s;
            }
        }
        final BigDecimal amount = node.path("amount").isNumber() ? node.path("amount").decimalValue() : BigDecimal.ZERO;
        return new ConversionOutcome.Side(status, amount, text(node, "reason"));
    }

    private static CallStatus status(String label) {
        for (CallStatus s : CallStatus.values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        return null;
    }

    private static AttemptResult attemptResult(String label) {
        for (AttemptResult a : AttemptResult.values()) {
            if (a.label().equals(label)) {
                return a;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static long millis(JsonNode node, String field) {
        final String value = text(node, field);
        return value == null ? CallRecord.NO_TIME : parseTime(value);
    }

    private static String seconds(long ms) {
        return BigDecimal.valueOf(ms, 3).toPlainString();
    }

    /** {@code value} as a JSON string literal, quotes included. */
    static String quote(String value) {
        return new String(write(value.length() + 8, g -> g.writeString(value)), StandardCharsets.UTF_8);
    }
}
