package org.callrouter.server.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal files a reader that follows the journal (the store ingest, the Kafka shipper)
 * reads and how far each has been taken: a byte offset per file (after the last line taken), so
 * a file written again after a newer one (crash recovery records a call on the day it ended) is
 * still read to its end. Only complete lines are read: a line without its newline yet is left
 * for the next read. Used by one thread only.
 */
public final class JournalTail {

    private static final Logger LOG = LoggerFactory.getLogger(JournalTail.class);
    /** {@code calls-2026-03-09.jsonl}: the stream and the UTC day. */
    private static final Pattern FILE = Pattern.compile("(visits|calls|conversions)-(\\d{4}-\\d{2}-\\d{2})\\.jsonl");
    /** Most bytes read from one file at a time (journal lines are a few kilobytes at most). */
    private static final int CHUNK_BYTES = 4 << 20;

    /** The kinds of journal file, in the order a round reads them (a visit before the calls it brought). */
    public enum Stream {
        VISITS, CALLS, CONVERSIONS;

        static Stream of(String prefix) {
            return switch (prefix) {
                case "visits" -> VISITS;
                case "calls" -> CALLS;
                default -> CONVERSIONS;
            };
        }
    }

    /** One complete line of {@code file}, ending (newline included) at byte {@code end}. */
    public record Line(Stream stream, String file, long end, String text) {
    }

    private final Path dir;
    private final Set<Stream> streams;
    /** File name → offset stored. */
    private final Map<String, Long> offsets = new HashMap<>();
    /** File name → its size when last looked at. */
    private final Map<String, Long> sizes = new HashMap<>();
    /** Files of days before yesterday read to their end: looked at again only on a full scan. */
    private final Set<String> settled = new HashSet<>();

    /** A tail of every stream (visits, calls, conversions). */
    public JournalTail(Path dir, Map<String, JournalPosition> stored) {
        this(dir, EnumSet.allOf(Stream.class), stored);
    }

    /** A tail of the files of {@code streams} only. */
    public JournalTail(Path dir, Set<Stream> streams, Map<String, JournalPosition> stored) {
        this.dir = dir;
        this.streams = EnumSet.copyOf(streams);
        stored.values().forEach(p -> offsets.put(p.file(), p.offset()));
    }

    /**
     * Up to {@code max} lines not yet stored, visits first, then calls, then conversions, each
     * kind's files in day order.
     *
     * @param fullScan look at every file, also the settled ones (done now and then: only a
     *                 crash recovery writes to an old day's file)
     * @param today    the UTC day now (files of today and yesterday are never settled)
     */
    public List<Line> read(int max, boolean fullScan, LocalDate today) throws IOException {
        if (fullScan) {
            settled.clear();
        }
        final List<Line> lines = new ArrayList<>();
        for (Map.Entry<String, Stream> file : files().entrySet()) {
            if (lines.size() >= max) {
                break;
            }
            final String name = file.getKey();
            if (settled.contains(name)) {
                continue;
            }
            final long size;
            try {
                size = Files.size(dir.resolve(name));
            } catch (NoSuchFileException gone) {
                continue;
            }
            sizes.put(name, size);
            long offset = offsets.getOrDefault(name, 0L);
            if (size < offset) {
                LOG.warn("journal file {} is shorter ({} bytes) than what was stored of it ({}): read again from "
                        + "its start (the store ignores lines it has)", name, size, offset);
                offset = 0;
                offsets.put(name, 0L);
            }
            if (size == offset) {
                if (dayOf(name).isBefore(today.minusDays(1))) {
                    settled.add(name);
                }
                continue;
            }
            readLines(file.getValue(), name, offset, size, max - lines.size(), lines);
        }
        return lines;
    }

    /** The journal files by name: streams in read order, days in order within each. */
    private Map<String, Stream> files() throws IOException {
        final TreeMap<String, Stream> files = new TreeMap<>((a, b) -> {
            final int byStream = stream(a).compareTo(stream(b));
            return byStream != 0 ? byStream : a.compareTo(b);
        });
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.jsonl")) {
            for (Path entry : entries) {
                final String name = entry.getFileName().toString();
                if (FILE.matcher(name).matches() && streams.contains(stream(name))) {
                    files.put(name, stream(name));
                }
            }
        } catch (NoSuchFileException absent) {
            return files;
        }
        return files;
    }

    private static Stream stream(String name) {
        return Stream.of(name.substring(0, name.indexOf('-')));
    }

    /** The UTC day of a journal file's name, or null for a name that is not a journal file's. */
    public static LocalDate dayOf(String name) {
        final Matcher m = FILE.matcher(name);
        return m.matches() ? LocalDate.parse(m.group(2)) : null;
    }

    private void readLines(Stream stream, String name, long offset, long size, int max, List<Line> out)
            throws IOException {
        try (FileChannel in = FileChannel.open(dir.resolve(name), StandardOpenOption.READ)) {
            long at = offset;
            int taken = 0;
            while (at < size && taken < max) {
                final ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, size - at));
                while (buffer.hasRemaining() && in.read(buffer, at + buffer.position()) >= 0) {
                    // read on: a positional read may return fewer bytes than asked
                }
                final byte[] bytes = buffer.array();
                final int length = buffer.position();
                int start = 0;
                for (int i = 0; i < length && taken < max; i++) {
                    if (bytes[i] == '\n') {
                        // An empty line (a crash cut the line before it) is read, with nothing to store.
                        out.add(new Line(stream, name, at + i + 1, new String(bytes, start, i - start,
                                StandardCharsets.UTF_8)));
                        taken++;
                        start = i + 1;
                    }
                }
                if (start == 0) {
                    if (length < CHUNK_BYTES) {
                        return; // the last line has no newline yet: left for the next read
                    }
                    // No newline in a whole chunk: not a journal line. Skip it rather than stall on it.
                    LOG.warn("journal file {}: {} bytes without a newline at offset {} are skipped", name, length, at);
                    out.add(new Line(stream, name, at + length, ""));
                    taken++;
                }
                at += start == 0 ? length : start;
            }
        } catch (NoSuchFileException gone) {
            // removed by retention meanwhile
        }
    }

    /** The lines up to these offsets (file name → offset after the line) are stored. */
    public void stored(Map<String, Long> ends) {
        offsets.putAll(ends);
    }

    /** Where each file is stored up to, as the store keeps it. */
    public static Map<String, JournalPosition> positions(List<Line> lines) {
        final Map<String, JournalPosition> positions = new HashMap<>();
        for (Line line : lines) {
            positions.merge(line.file(), new JournalPosition(line.file(), line.end()),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return positions;
    }

    /** Bytes written to the files and not yet stored, as of the last read. */
    public long lagBytes() {
        long lag = 0;
        for (Map.Entry<String, Long> size : sizes.entrySet()) {
            lag += Math.max(0, size.getValue() - offsets.getOrDefault(size.getKey(), 0L));
        }
        return lag;
    }

    /** Whether every line of {@code file} is stored (as of the last read). */
    public boolean fullyStored(String file) {
        final Long size = sizes.get(file);
        return size != null && size <= offsets.getOrDefault(file, 0L);
    }

    /** Forgets a file removed by retention. */
    public void removed(String file) {
        offsets.remove(file);
        sizes.remove(file);
        settled.remove(file);
    }
}
