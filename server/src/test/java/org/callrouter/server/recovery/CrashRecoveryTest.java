package org.callrouter.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.ErrorHandler;
import org.callrouter.server.records.Journal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a start finds in the live-call store: a call whose record reached the journal before
 * the process died is not recorded again; one whose line was cut short by the crash is.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final ErrorHandler handler = errors::add;

    @Test
    void callsAlreadyJournaledAreRemovedAndTheOthersAreInterrupted() throws IOException {
        final Path journal = Files.createDirectories(dir.resolve("journal"));
        final LiveCall written = LiveCallStoreTest.call("c-written");
        final LiveCall cutShort = LiveCallStoreTest.call("c-cut");
        final LiveCall live = LiveCallStoreTest.call("c-live");
        Files.writeString(journal.resolve(Journal.callsFile(Journal.day(written.answeredMs()))),
                "{\"record\":\"call\",\"id\":\"c-other\",\"status\":\"completed\"}\n"
                        + "{\"record\":\"call\",\"id\":\"c-written\",\"status\":\"completed\"}\n"
                        + "{\"record\":\"call\",\"id\":\"c-cut\",\"status\":\"comp\n");
        try (LiveCallStore store = LiveCallStore.open(dir, 100, handler)) {
            store.answered(written);
            store.answered(cutShort);
            store.answered(live);
            store.heartbeat(live.answeredMs() + 5_000);
        }
        try (CrashRecovery recovery = new CrashRecovery(dir, 100, journal, handler)) {
            recovery.open();
            assertEquals(List.of("c-cut", "c-live"), recovery.interrupted().stream().map(LiveCall::id).sorted().toList());
            assertEquals(List.of("c-cut", "c-live"), recovery.store().ids().stream().sorted().toList(),
                    "the interrupted calls stay stored until their record is written");
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void nothingStoredAndNoJournalIsNothingToDo() {
        try (CrashRecovery recovery = new CrashRecovery(dir, 100, dir.resolve("journal"), handler)) {
            recovery.open();
            assertEquals(List.of(), recovery.interrupted());
        }
    }
}
