package org.callrouter.server.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.agrona.ErrorHandler;
import org.callrouter.server.records.LineFile;

/**
 * The dispatcher's side of the outbox: records each try's outcome beside its segment, appends
 * dead letters, and deletes a closed segment once nothing in it is left to deliver. Written
 * at once (a crash may then repeat at most the try in flight) and forced on a schedule.
 *
 * <p>A write, fsync or open that fails (a full or failing disk) is counted
 * ({@link #writeFailures}) and reported ({@link #problem}); the lines stay in memory and each
 * scheduled {@link #force} writes them again, so they reach the disk once space returns, and
 * {@link #close} writes what is left before it closes.
 */
final class OutboxAcks {

    private final Path dir;
    private final ErrorHandler errors;
    private final Map<Long, LineFile> open = new HashMap<>();
    private LineFile deadLetters;
    private volatile long writeFailures;
    private volatile String problem;

    OutboxAcks(Path dir, ErrorHandler errors) {
        this.dir = dir;
        this.errors = errors;
    }

    /** Records a try's outcome: the request's state, tries so far and the next try's time. */
    void ack(Delivery delivery, Outbox.State state, int tries, long nextTryMs) {
        if (delivery.segment() < 0) {
            return;
        }
        final LineFile file = file(delivery.segment());
        if (file == null) {
            return;
        }
        file.append((delivery.index() + " " + state.word + " " + tries + " " + nextTryMs)
                .getBytes(StandardCharsets.US_ASCII));
        write(file);
    }

    /** Appends a request given up on to {@code dead-letter.jsonl}. */
    void deadLetter(WebhookRequest request, int tries, String lastError, long atMs) {
        try {
            if (deadLetters == null) {
                deadLetters = LineFile.open(dir.resolve(Outbox.DEAD_LETTER));
            }
            deadLetters.append(Outbox.deadLetter(request, tries, lastError, atMs));
            deadLetters.write();
        } catch (IOException e) {
            failed(e);
            errors.onError(new IOException("webhook outbox: cannot write " + dir.resolve(Outbox.DEAD_LETTER), e));
        }
    }

    /** Writes what an earlier failure left in memory, then forces every ack and dead letter to disk. */
    void force() {
        boolean ok = true;
        for (LineFile file : open.values()) {
            ok &= write(file) && force(file);
        }
        if (deadLetters != null) {
            ok &= write(deadLetters) && force(deadLetters);
        }
        if (ok) {
            problem = null;
        }
    }

    /** Failed writes, fsyncs and opens of acks and dead-letter files since start. */
    long writeFailures() {
        return writeFailures;
    }

    /** Why the last write, fsync or open failed, or null once a scheduled force wrote everything. */
    String problem() {
        return problem;
    }

    /** A closed segment has nothing left to deliver: delete it and its acks. */
    void delete(long segment) {
        final LineFile file = open.remove(segment);
        try {
            if (file != null) {
                file.close();
            }
            Files.deleteIfExists(Outbox.segment(dir, segment));
            Files.deleteIfExists(Outbox.acks(dir, segment));
        } catch (IOException e) {
            errors.onError(new IOException("webhook outbox: cannot delete segment " + segment, e));
        }
    }

    /** Writes, forces and closes every file. */
    void close() {
        force();
        for (LineFile file : open.values()) {
            close(file);
        }
        open.clear();
        if (deadLetters != null) {
            close(deadLetters);
            deadLetters = null;
        }
    }

    private LineFile file(long segment) {
        LineFile file = open.get(segment);
        if (file == null) {
            try {
                file = LineFile.open(Outbox.acks(dir, segment));
                open.put(segment, file);
            } catch (IOException e) {
                failed(e);
                errors.onError(new IOException("webhook outbox: cannot open " + Outbox.acks(dir, segment), e));
            }
        }
        return file;
    }

    private boolean write(LineFile file) {
        try {
            file.write();
            return true;
        } catch (IOException e) {
            failed(e);
            errors.onError(new IOException("webhook outbox: cannot write " + file.path(), e));
            return false;
        }
    }

    private boolean force(LineFile file) {
        try {
            file.force();
            return true;
        } catch (IOException e) {
            failed(e);
            errors.onError(new IOException("webhook outbox: cannot fsync " + file.path(), e));
            return false;
        }
    }

    private void failed(IOException e) {
        writeFailures++;
        problem = String.valueOf(e.getMessage());
    }

    private void close(LineFile file) {
        try {
            file.close();
        } catch (IOException e) {
            errors.onError(e);
        }
    }
}
