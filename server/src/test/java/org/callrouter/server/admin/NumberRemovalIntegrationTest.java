package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.callrouter.server.admin.ServiceFixture.byCaller;
import static org.callrouter.server.admin.ServiceFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.callrouter.server.cli.CliTest;
import org.callrouter.server.quarantine.QuarantineAudit;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Peers;

/**
 * Removing imported numbers from a running router, by {@code DELETE /v1/numbers/{number}} over HTTP
 * and by {@code router numbers remove} beside it: jain-sip-ri carrier and handler on loopback.
 * Ports 46500-46599.
 */
class NumberRemovalIntegrationTest {

    private static final String LISTED = "+18005550100";
    private static final String IMPORTED = "+18005550300";
    private static final String BY_CLI = "+18005550301";

    @TempDir
    Path dir;

    private Peers peers;
    private ServiceFixture router;

    @BeforeEach
    void peers() {
        peers = Peers.open(46500, 46549);
    }

    @AfterEach
    void close() {
        if (router != null) {
            router.close();
        }
        peers.close();
    }

    @Test
    void anImportedNumberRemovedByApiOrCliIsQuarantinedAndAListedOneIsRefused() throws Exception {
        router = ServiceFixture.start(dir, 46550, 46599, """
                sources:
                  - id: web
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 2 }
                campaigns:
                  - id: sales
                    handlers: [first]
                number_policy: { quarantine_days: 45, quiet_days: 14, quarantine_status: 410 }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(peers.first().uri(), LISTED), "", "");
        peers.first().behaviour(Behaviour.answer());
        final String config = router.configFile().toString();
        final Path csv = dir.resolve("numbers.csv");
        Files.writeString(csv, IMPORTED + ",sales,web\n" + BY_CLI + ",sales,web\n");
        final CliTest.Run imported = CliTest.run("numbers", "import", csv.toString(), "--config", config);
        assertEquals(0, imported.exit(), imported::out);
        final CarrierCall tracked = peers.carrier().call(router.sipHostPort(), IMPORTED);
        assertEquals(200, tracked.awaitFinal(WAIT).status(), "the imported number routes");
        assertEquals(200, tracked.bye(WAIT).status());

        final String path = "/v1/numbers/" + IMPORTED.replace("+", "%2B");
        final var removed = router.delete(path);
        assertEquals(200, removed.statusCode(), removed::body);
        final JsonNode entry = json(removed);
        assertEquals(IMPORTED, entry.path("number").asText());
        assertEquals("sales", entry.path("campaign").asText());
        assertEquals(0, entry.path("calls").asInt());
        assertFalse(entry.path("releasable").asBoolean(), entry::toString);
        assertEquals(entry, json(router.get("/v1/numbers/quarantine")).path("numbers").get(0));
        final List<String> audit = Files.readAllLines(router.dataDir().resolve(QuarantineAudit.FILE));
        assertEquals(1, audit.size());
        final JsonNode line = json(audit.get(0));
        assertEquals("remove", line.path("action").asText());
        assertEquals("api:admin", line.path("actor").asText(), line::toString);
        assertEquals(IMPORTED, line.path("number").asText());

        final CarrierCall refused = peers.carrier().call(router.sipHostPort(), IMPORTED, "+14155550177", Map.of());
        assertEquals(410, refused.awaitFinal(WAIT).status(), "number_policy.quarantine_status");
        final JsonNode record = byCaller(router.awaitCalls(2), "+14155550177");
        assertEquals("rejected", record.path("status").asText(), record::toString);
        assertEquals("quarantined", record.path("reason").asText(), record::toString);

        final CliTest.Run again = CliTest.run("numbers", "import", csv.toString(), "--config", config);
        assertEquals(1, again.exit(), again::out);
        assertTrue(again.out().contains(IMPORTED + " is quarantined until"), again.out());

        final var twice = router.delete(path);
        assertEquals(409, twice.statusCode());
        assertTrue(json(twice).path("error").path("message").asText().contains(IMPORTED + " is already quarantined"), twice::body);
        final var listed = router.delete("/v1/numbers/" + LISTED.replace("+", "%2B"));
        assertEquals(409, listed.statusCode());
        assertTrue(json(listed).path("error").path("message").asText().startsWith(config + ":")
                && json(listed).path("error").path("message").asText().contains("remove it there and reload"), listed::body);
        assertEquals(404, router.delete("/v1/numbers/%2B18005550399").statusCode());
        assertEquals(400, router.delete("/v1/numbers/not-a-number").statusCode());
        assertEquals(1, Files.readAllLines(router.dataDir().resolve(QuarantineAudit.FILE)).size(),
                "refusals are not audited");

        // Beside the running router, in a national form: the router refuses its next call.
        final CliTest.Run cli = CliTest.run("numbers", "remove", "(800) 555-0301", "--config", config);
        assertEquals(0, cli.exit(), cli::err);
        assertTrue(cli.out().startsWith(BY_CLI + " removed from campaign sales; quarantined until "), cli.out());
        assertEquals(410, peers.carrier().call(router.sipHostPort(), BY_CLI).awaitFinal(WAIT).status());
        final CliTest.Run refusedCli = CliTest.run("numbers", "remove", LISTED, BY_CLI, "+18005550399", "--config",
                config);
        assertEquals(2, refusedCli.exit(), refusedCli::out);
        assertTrue(refusedCli.err().contains("remove it there and reload")
                && refusedCli.err().contains(BY_CLI + " is already quarantined")
                && refusedCli.err().contains("+18005550399 is not a tracked number"), refusedCli.err());
        final JsonNode cliAudit = json(Files.readAllLines(router.dataDir().resolve(QuarantineAudit.FILE)).get(1));
        assertTrue(cliAudit.path("actor").asText().startsWith("cli:"), cliAudit::toString);
        assertEquals(2, json(router.get("/v1/numbers/quarantine")).path("numbers").size());
    }
}
