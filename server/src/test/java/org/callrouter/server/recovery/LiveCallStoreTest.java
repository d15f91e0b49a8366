package org.callrouter.server.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.agrona.ErrorHandler;
import org.callrouter.server.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live-call store: what the SIP loop puts there is what a later process reads back. */
class LiveCallStoreTest {

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final ErrorHandler handler = errors::add;

    static LiveCall call(String id) {
        return new LiveCall(id, "k" + id, "sales", null, "first", "+14155550123", "+18005550100",
                Map.of("caller_state", "CA", "publisher_id", "p-ü17"), 1_700_000_000_000L, 1_700_000_003_012L,
                new LiveLeg("carrier-" + id + "@10.0.0.1", "<sip:+18005550100@127.0.0.1>;tag=ours",
                        "\"Ann\" <sip:+14155550123@10.0.0.1>;tag=theirs", "sip:gw@10.0.0.1:5070",
                        List.of("<sip:p1@10.0.0.9;lr>", "<sip:p2@10.0.0.8;lr>"), Transport.UDP, "10.0.0.9", 5060, 0),
                new LiveLeg("b" + id + "@127.0.0.1", "<sip:+14155550123@127.0.0.1>;tag=b", "<sip:h@127.0.0.1>;tag=h",
                        "sip:h@127.0.0.1:5080", List.of(), Transport.TCP, "::1", 5080, 1));
    }

    @Test
    void callsAndTheHeartbeatOutliveTheProcessThatWroteThem() {
        try (LiveCallStore store = LiveCallStore.open(dir, 100, handler)) {
            assertEquals(Long.MIN_VALUE, store.lastHeartbeat());
            store.answered(call("c1"));
            store.answered(call("c2"));
            store.heartbeat(1_700_000_009_000L);
            store.remove("c2");
        }
        try (LiveCallStore store = LiveCallStore.open(dir, 100, handler)) {
            assertEquals(List.of("c1"), store.ids(), "the heartbeat is not a call");
            assertEquals(1, store.size());
            assertEquals(call("c1"), store.get("c1"));
            assertNull(store.get("c2"));
            assertEquals(1_700_000_009_000L, store.lastHeartbeat());
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void aStoreKeepsItsSizeWhenTheCapacitySettingChanges() {
        try (LiveCallStore store = LiveCallStore.open(dir, 2_000, handler)) {
            for (int i = 0; i < 1_500; i++) {
                store.answered(call("c" + i));
            }
        }
        try (LiveCallStore store = LiveCallStore.open(dir, 50_000, handler)) {
            assertEquals(1_500, store.size());
            assertEquals(call("c1499"), store.get("c1499"));
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void aFullStoreIsReportedAndTheCallGoesOn() {
        try (LiveCallStore store = LiveCallStore.open(dir, 1, handler)) {
            int i = 0;
            while (errors.isEmpty() && i < 100_000) {
                store.answered(call("c" + i++));
            }
            assertEquals(1, store.notStored(), "stored " + store.size() + " before it was full");
            assertEquals(1, errors.size());
        }
    }

    @Test
    void anEntryOfAnotherLayoutIsRefusedWithAReason() {
        final byte[] bytes = new LiveCallCodec().encode(call("c1"));
        bytes[0] = 99;
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> LiveCallCodec.decode(bytes));
        assertEquals("live-call entry of version 99, expected 1", e.getMessage());
        final byte[] cut = java.util.Arrays.copyOf(new LiveCallCodec().encode(call("c1")), 40);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LiveCallCodec.decode(cut));
    }
}
