package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.callrouter.server.Await;
import org.callrouter.server.SmallDisk;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real router whose journal and webhook outbox live on small filesystems that fill (1 MiB
 * tmpfs mounts): while they are full, {@code /health/ready} answers 503 naming the journal and
 * the outbox, the metrics show the lines waiting and the failed writes, and nothing is dropped;
 * once space returns every call's line reaches the journal and the router is ready again. A store
 * fuller than {@code server.stores.ready_max_fill_percent} makes it not ready too (a reloaded
 * setting applies at once).
 */
class DiskFullIntegrationTest {

    private static final String NUMBER = "+18005550100";
    private static final String BLOCKED = "+14155559999";
    private static final int CALLS_WHILE_FULL = 20;

    @TempDir
    Path dir;

    private static String routing() {
        final StringBuilder numbers = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            numbers.append("  - { number: \"+1800555").append(String.format("%04d", 100 + i))
                    .append("\", campaign: sales, source: web }\n");
        }
        return """
                sources: [{ id: web }]
                handlers: [{ id: first, uri: "sip:first@127.0.0.1:9" }]
                campaigns:
                  - id: sales
                    handlers: [first]
                    blocked_callers: ["%s"]
                    webhooks: [{ on: [started, ended], url: "http://127.0.0.1:9/hook" }]
                numbers:
                %s""".formatted(BLOCKED, numbers);
    }

    private static String server(Path journal, int readyPercent) {
        return """
                  records: { journal_dir: "%s", fsync_interval_ms: 0 }
                  stores: { max_numbers: 1000, ready_max_fill_percent: %d }
                """.formatted(journal, readyPercent);
    }

    /** A sample of the {@code /metrics} page, by its name and labels as the page spells them. */
    private static double metric(ServiceFixture router, String name) {
        for (String line : router.get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " on /metrics:\n" + router.get("/metrics").body());
    }

    private static List<String> reasons(HttpResponse<String> ready) {
        final List<String> reasons = new ArrayList<>();
        ServiceFixture.json(ready).path("reasons").forEach(r -> reasons.add(r.asText()));
        return reasons;
    }

    private static void blockedCall(Carrier carrier, ServiceFixture router) {
        final CarrierCall call = carrier.call(router.sipHostPort(), NUMBER, BLOCKED, Map.of());
        assertEquals(603, call.awaitFinal(WAIT).status());
    }

    @Test
    void fullDisksMakeTheRouterNotReadyLoseNothingAndRecover() throws Exception {
        final Path journalDir = dir.resolve("journal");
        try (SmallDisk journal = SmallDisk.mount(journalDir);
             SmallDisk outbox = SmallDisk.mount(dir.resolve("data").resolve("webhooks"));
             Carrier carrier = Carrier.open(Ports.free(48000, 48399));
             ServiceFixture router = ServiceFixture.start(dir, routing(), server(journalDir, 90))) {
            assertEquals(200, router.request("GET", "/health/ready", null, null).statusCode());
            // Filled before the first line: a file's first page would otherwise take a few more lines.
            journal.fill();
            outbox.fill();
            for (int i = 0; i < CALLS_WHILE_FULL; i++) {
                blockedCall(carrier, router);
            }
            final HttpResponse<String>[] ready = new HttpResponse[1];
            Await.until(WAIT, () -> {
                ready[0] = router.request("GET", "/health/ready", null, null);
                final List<String> why = ready[0].statusCode() == 503 ? reasons(ready[0]) : List.of();
                return why.stream().anyMatch(r -> r.startsWith("journal: No space left on device ("
                        + CALLS_WHILE_FULL + " lines waiting in memory, 0 lost)"))
                        && why.stream().anyMatch(r -> r.startsWith("webhook outbox: No space left on device ("));
            }, () -> ready[0].statusCode() + " " + ready[0].body());
            assertEquals(CALLS_WHILE_FULL, metric(router, "journal_lines_unwritten"));
            assertEquals(0, metric(router, "journal_lines_lost_total"));
            assertEquals(0, metric(router, "journal_lines_written_total"));
            assertTrue(metric(router, "outbox_write_failures_total") > 0);

            journal.free();
            outbox.free();
            Await.until(WAIT, () -> router.request("GET", "/health/ready", null, null).statusCode() == 200,
                    () -> router.request("GET", "/health/ready", null, null).body());
            final List<JsonNode> calls = router.awaitCalls(CALLS_WHILE_FULL);
            assertEquals(CALLS_WHILE_FULL, calls.size(), "every call reached the journal once");
            assertEquals(CALLS_WHILE_FULL, metric(router, "journal_lines_written_total"));
            assertEquals(0, metric(router, "journal_lines_unwritten"));
            assertEquals(0, metric(router, "journal_lines_lost_total"));

            // 20 numbers of 1000 is 2%: above a 1% threshold the router is not ready, naming the store.
            router.writeConfig(routing(), server(journalDir, 1));
            router.service().reload();
            final HttpResponse<String> fill = router.request("GET", "/health/ready", null, null);
            assertEquals(503, fill.statusCode(), fill.body());
            assertEquals(List.of("store numbers 2% full (20 of 1000 entries, ready up to 1%);"
                    + " raise server.stores.max_numbers"), reasons(fill));
            assertEquals(0.02, metric(router, "store_fill_ratio{store=\"numbers\",}"));
            router.writeConfig(routing(), server(journalDir, 90));
            router.service().reload();
            assertEquals(200, router.request("GET", "/health/ready", null, null).statusCode());
        }
    }
}
