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
 */
final class OutboxAcks {

    private final Path dir;
    private final ErrorHandler errors;
    private final Map<Long, LineFile> open = new HashMap<>();
    private LineFile deadLetters;

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
            errors.onError(new IOException("webhook outbox: cannot write " + dir.resolve(Outbox.DEAD_LETTER), e));
        }
    }

    /** Forces every ack and dead letter written so far to disk. */
    void force() {
        for (LineFile file : open.values()) {
            force(file);
        }
        if (deadLetters != null) {
            force(deadLetters);
        }
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

    /** Forces and closes every file. */
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
                errors.onError(new IOException("webhook outbox: cannot open " + Outbox.acks(dir, segment), e));
            }
        }
        return file;
    }

    private void write(LineFile file) {
        try {
            file.write();
        } catch (IOException e) {
            errors.onError(new IOException("webhook outbox: cannot write " + file.path(), e));
        }
    }

    private void force(LineFile file) {
        try {
            file.force();
        } catch (IOException e) {
            errors.onError(new IOException("webhook outbox: cannot fsync " + file.path(), e));
        }
    }

    private void close(LineFile file) {
        try {
            file.close();
        } catch (IOException e) {
            errors.onError(e);
        }
    }
}
