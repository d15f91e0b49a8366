package org.callrouter.server.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.callrouter.server.records.JournalPosition;

/**
 * The file that says how far each journal file has been acknowledged by Kafka: one line
 * {@code <file name> <byte offset>} per journal file. It is replaced whole (written beside,
 * forced, renamed over), so a crash leaves the old positions or the new ones, never a mix; it
 * is written only after the broker acknowledged every record up to those offsets, so a restart
 * sends again only what was not acknowledged.
 */
final class ShippedPositions {

    private final Path file;
    private final Path temp;

    ShippedPositions(Path file) {
        this.file = file;
        this.temp = file.resolveSibling(file.getFileName() + ".tmp");
    }

    Path file() {
        return file;
    }

    /** The positions written last; none when the file does not exist yet (nothing shipped). */
    Map<String, JournalPosition> load() throws IOException {
        final List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException absent) {
            return Map.of();
        }
        final Map<String, JournalPosition> positions = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            try {
                if (space <= 0) {
                    throw new NumberFormatException("no offset");
                }
                final long offset = Long.parseLong(line.substring(space + 1));
                positions.put(line.substring(0, space), new JournalPosition(line.substring(0, space), offset));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": expected \"<journal file> <offset>\", got \""
                        + line + "\"", e);
            }
        }
        return positions;
    }

    /** Replaces the file with {@code offsets} (journal file name → offset acknowledged). */
    void save(Map<String, Long> offsets) throws IOException {
        final StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Long> entry : new TreeMap<>(offsets).entrySet()) {
            text.append(entry.getKey()).append(' ').append(entry.getValue()).append('\n');
        }
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
