package org.callrouter.server.quarantine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.callrouter.server.records.Journal;
import org.callrouter.server.records.RecordJson;

/**
 * The spam marks journal: one JSON line per mark ({@code at}, {@code actor}, {@code call_id},
 * {@code reason}, ...) in one file per UTC day of the mark, {@code <data_dir>/call-marks-YYYY-MM-DD.jsonl},
 * as the call journal keeps {@code calls-YYYY-MM-DD.jsonl}, so that retention deletes whole files.
 * A single {@code call-marks.jsonl} an older version wrote is still read, never written again,
 * and deleted once its newest mark is older than the retention.
 *
 * <p>Not thread-safe: {@link NumberHealth} calls it under its lock.
 */
final class MarkJournal {

    /** The single marks file of versions before day files. */
    static final String LEGACY_FILE = "call-marks.jsonl";
    private static final Pattern DAY_FILE = Pattern.compile("call-marks-(\\d{4}-\\d{2}-\\d{2})\\.jsonl");
    private static final long DAY_MS = 86_400_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;

    MarkJournal(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The file of the marks made on {@code day} (UTC). */
    Path file(LocalDate day) {
        return dataDir.resolve("call-marks-" + day + ".jsonl");
    }

    /** Appends one mark made at {@code atMs}, forced to disk before it returns. */
    void append(long atMs, JsonNode line) throws IOException {
        Files.write(file(Journal.day(atMs)), (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    }

    /** Every mark kept: the legacy file's, then the day files' (a blank or torn last line is skipped). */
    List<JsonNode> read() throws IOException {
        final List<JsonNode> marks = new ArrayList<>();
        for (Path file : files()) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                final JsonNode mark = parse(line);
                if (mark != null) {
                    marks.add(mark);
                }
            }
        }
        return marks;
    }

    /**
     * Deletes the day files of days before {@code keepDays} days ago (the file of that day has newer
     * marks and stays until the next day), and the legacy file once its newest mark is that old.
     *
     * @return the files deleted
     */
    int prune(long nowMs, int keepDays) throws IOException {
        final long cutoffMs = nowMs - keepDays * DAY_MS;
        final LocalDate firstKept = Journal.day(cutoffMs);
        int deleted = 0;
        for (Path file : files()) {
            final String name = file.getFileName().toString();
            final boolean old = name.equals(LEGACY_FILE) ? newestMs(file) < cutoffMs : day(name).isBefore(firstKept);
            if (old && Files.deleteIfExists(file)) {
                deleted++;
            }
        }
        return deleted;
    }

    private List<Path> files() throws IOException {
        final List<Path> files = new ArrayList<>();
        final Path legacy = dataDir.resolve(LEGACY_FILE);
        if (Files.exists(legacy)) {
            files.add(legacy);
        }
        final List<Path> days = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dataDir, "call-marks-*.jsonl")) {
            for (Path file : found) {
                if (day(file.getFileName().toString()) != null) {
                    days.add(file);
                }
            }
        } catch (NoSuchFileException absent) {
            return files;
        }
        days.sort(null);
        files.addAll(days);
        return files;
    }

    /** The day of a day file's name; null for any other name. */
    private static LocalDate day(String name) {
        final Matcher m = DAY_FILE.matcher(name);
        if (!m.matches()) {
            return null;
        }
        try {
            return LocalDate.parse(m.group(1));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The time of the newest mark in {@code file}; {@link Long#MAX_VALUE} when a line has no readable time. */
    private static long newestMs(Path file) throws IOException {
        long newest = Long.MIN_VALUE;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            final JsonNode mark = parse(line);
            if (mark == null) {
                continue;
            }
            try {
                newest = Math.max(newest, RecordJson.parseTime(mark.path("at").asText()));
            } catch (DateTimeParseException e) {
                // kept rather than deleted on a guess
                return Long.MAX_VALUE;
            }
        }
        return newest;
    }

    private static JsonNode parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException torn) {
            // a line cut short by a crash during its write: the mark was never answered
            return null;
        }
    }
}
