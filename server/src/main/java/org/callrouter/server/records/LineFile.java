package org.callrouter.server.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.ExpandableArrayBuffer;

/**
 * An append-only file of lines, written by one thread: lines collect in memory
 * ({@link #append}), go to the file in one {@code write} ({@link #write}) and to the disk on
 * {@link #force}. When opened on a file whose last line was cut short (a crash in the middle
 * of a write), a newline is added first, so the damage stays on that line.
 */
public final class LineFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final ExpandableArrayBuffer pending = new ExpandableArrayBuffer(16 * 1024);
    private int pendingLength;
    private int pendingLines;
    private long size;
    private boolean dirty;

    private LineFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens (creating) a file to append lines to. */
    public static LineFile open(Path path) throws IOException {
        final boolean cutShort = endsCutShort(path);
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            if (cutShort) {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            }
            return new LineFile(path, channel, channel.size());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether the file exists and its last byte is not a newline. */
    private static boolean endsCutShort(Path path) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            final long size = in.size();
            if (size == 0) {
                return false;
            }
            final ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    public Path path() {
        return path;
    }

    /** Adds a line (the newline is added here) to what the next {@link #write} writes. */
    public void append(byte[] line) {
        pending.putBytes(pendingLength, line);
        pending.putByte(pendingLength + line.length, (byte) '\n');
        pendingLength += line.length + 1;
        pendingLines++;
    }

    /** Bytes appended and not yet written. */
    public int pendingBytes() {
        return pendingLength;
    }

    /** Lines appended and not yet written. */
    public int pendingLines() {
        return pendingLines;
    }

    /** Forgets the lines not yet written. */
    public void discardPending() {
        pendingLength = 0;
        pendingLines = 0;
    }

    /**
     * Writes the pending lines; on failure they stay pending for the next try.
     *
     * @return how many lines were written.
     */
    public int write() throws IOException {
        if (pendingLength == 0) {
            return 0;
        }
        final ByteBuffer bytes = ByteBuffer.wrap(pending.byteArray(), 0, pendingLength);
        final long start = size;
        try {
            while (bytes.hasRemaining()) {
                size += channel.write(bytes);
            }
        } catch (IOException e) {
            // Part of the batch may be in the file; cut it off so a retry does not duplicate it.
            channel.truncate(start);
            size = start;
            throw e;
        }
        final int lines = pendingLines;
        pendingLength = 0;
        pendingLines = 0;
        dirty = true;
        return lines;
    }

    /** Forces written lines to the disk (fsync of the data), if any since the last force. */
    public void force() throws IOException {
        if (dirty) {
            channel.force(false);
            dirty = false;
        }
    }

    /** Whether lines were written since the last {@link #force}. */
    public boolean unforced() {
        return dirty;
    }

    /** Bytes in the file. */
    public long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
