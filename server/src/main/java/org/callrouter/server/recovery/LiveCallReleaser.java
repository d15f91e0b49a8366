package org.callrouter.server.recovery;

import java.util.ArrayList;
import java.util.List;

import org.callrouter.server.records.CallRecord;
import org.callrouter.server.records.RecordSink;

/**
 * Removes an answered call from the live-call store once the journal has written its record:
 * a record sink placed after the journal, so at each batch end the journal's write (into the
 * page cache) comes first. Killed in between, the next start finds the call both in the store
 * and in the journal and writes nothing more ({@link CrashRecovery}): a record is never lost
 * nor doubled by a process crash.
 */
public final class LiveCallReleaser implements RecordSink {

    private final CrashRecovery recovery;
    private final List<String> written = new ArrayList<>();

    /** Removes from {@code recovery}'s store (none before it is open: no call was answered then). */
    public LiveCallReleaser(CrashRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    public void onEnded(CallRecord record) {
        // Only answered calls were stored (an interrupted one was stored by the last process).
        if (record.answeredBy() != null) {
            written.add(record.id());
        }
    }

    @Override
    public void onBatchEnd(long nowNs) {
        final LiveCallStore store = recovery.store();
        if (!written.isEmpty() && store != null) {
            for (int i = 0, n = written.size(); i < n; i++) {
                store.remove(written.get(i));
            }
            written.clear();
        }
    }

    @Override
    public void onClose() {
        onBatchEnd(System.nanoTime());
    }
}
