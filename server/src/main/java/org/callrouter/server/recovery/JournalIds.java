package org.callrouter.server.recovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;

import org.callrouter.server.records.Journal;
import org.callrouter.server.records.RecordJson;

/**
 * Which of a set of call ids already have a {@code call} line in the journal: one pass over
 * the daily files from the earliest arrival on, reading only each line's id.
 */
final class JournalIds {

    private static final String CALL_LINE = "{\"record\":\"call\",\"id\":\"";

    private JournalIds() {
    }

    /**
     * @param wanted    the ids looked for.
     * @param earliestMs the earliest arrival among them: files of days before it are skipped.
     * @return the ids found.
     * @throws UncheckedIOException when the journal cannot be read.
     */
    static Set<String> find(Path journalDir, Set<String> wanted, long earliestMs) {
        final Set<String> found = new HashSet<>();
        if (wanted.isEmpty()) {
            return found;
        }
        final LocalDate first = Journal.day(earliestMs);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journalDir, "calls-*.jsonl")) {
            for (Path file : files) {
                if (!dayOf(file).isBefore(first)) {
                    scan(file, wanted, found);
                }
            }
        } catch (NoSuchFileException noJournalYet) {
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + journalDir, e);
        }
        return found;
    }

    private static LocalDate dayOf(Path file) {
        final String name = file.getFileName().toString();
        try {
            return LocalDate.parse(name.substring("calls-".length(), name.length() - ".jsonl".length()));
        } catch (DateTimeParseException | IndexOutOfBoundsException notOurs) {
            // Not a daily file of ours; read it anyway rather than miss a line.
            return LocalDate.MAX;
        }
    }

    /** A line cut short by a crash does not count: readers skip it, so the call has no record yet. */
    private static boolean whole(String line) {
        try {
            RecordJson.parse(line);
            return true;
        } catch (IOException cutShort) {
            return false;
        }
    }

    private static void scan(Path file, Set<String> wanted, Set<String> found) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(CALL_LINE)) {
                    final int end = line.indexOf('"', CALL_LINE.length());
                    if (end > 0) {
                        final String id = line.substring(CALL_LINE.length(), end);
                        if (wanted.contains(id) && whole(line)) {
                            found.add(id);
                        }
                    }
                }
            }
        }
    }
}
