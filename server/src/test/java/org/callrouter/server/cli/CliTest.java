package org.callrouter.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing commands run in-process through the real {@code router} command line ({@link #run} is
 * also how other packages' integration tests run a command).
 */
public class CliTest {

    @TempDir
    Path temp;

    /** Output, error output and exit code of one command. */
    public record Run(int exit, String out, String err) {
    }

    /**
     * Runs a command with picocli's own writers over System.out and System.err, as the
     * process does: output a command leaves unflushed is lost here as it would be at exit.
     */
    public static synchronized Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, false, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new RouterCommand()).execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config() throws IOException {
        Path file = temp.resolve("router.yaml");
        Files.writeString(file, "server: { data_dir: \"" + temp.resolve("data") + "\" }\n" + """
                sources: [{ id: facebook }]
                handlers:
                  - id: office
                    uri: sip:office@127.0.0.1:5080
                    time_zone: America/New_York
                    business_hours: [{ days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }]
                    caps: { daily: 1 }
                  - { id: texas, uri: "sip:texas@127.0.0.1:5081", criteria: ["caller_state == TX"] }
                  - { id: backup, uri: "sip:backup@127.0.0.1:5082", priority: 2, weight: 3 }
                campaigns: [{ id: auto, handlers: [office, texas, backup] }]
                numbers: [{ number: "+18005550100", campaign: auto, source: facebook }]
                """);
        return file;
    }

    @Test
    void checkConfigSaysOk() throws IOException {
        Run run = run("check-config", config().toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("ok", run.out().strip());
    }

    @Test
    void checkConfigPrintsEveryError() throws IOException {
        Path bad = temp.resolve("bad.yaml");
        Files.writeString(bad, """
                handlers:
                  - { id: a, uri: "sip:a@h", timeout_seconds: 0 }
                campaigns: [{ id: c, handlers: [a, ghost] }]
                """);
        Run run = run("check-config", bad.toString());
        assertEquals(1, run.exit());
        assertEquals(bad + ":2:47: handlers[0].timeout_seconds: must be > 0, got 0\n"
                + bad + ":3:36: campaigns[0].handlers[1]: unknown handler \"ghost\" (defined: a)\n", run.out());
    }

    @Test
    void checkConfigReadsTheTlsFiles() throws IOException {
        Path yaml = temp.resolve("tls.yaml");
        Path key = Files.writeString(temp.resolve("key.pem"), "not a key");
        Files.writeString(yaml, """
                server:
                  sip:
                    listen: ["tls:127.0.0.1:5061"]
                    tls: { certificate: "%s", private_key: "%s" }
                """.formatted(temp.resolve("missing.pem"), key));
        Run run = run("check-config", yaml.toString());
        assertEquals(1, run.exit());
        assertTrue(run.out().startsWith(yaml + ":4:10: server.sip.tls: cannot use certificate "
                + temp.resolve("missing.pem")), run.out());
    }

    @Test
    void checkConfigReadsTheStirTrustAnchors() throws IOException {
        Path yaml = temp.resolve("stir.yaml");
        Path anchors = Files.writeString(temp.resolve("roots.pem"), "no certificate here");
        Files.writeString(yaml, """
                server:
                  sip:
                    identity:
                      stir: { trust_anchors: "%s" }
                """.formatted(anchors));
        Run run = run("check-config", yaml.toString());
        assertEquals(1, run.exit());
        assertTrue(run.out().startsWith(yaml + ":4:13: server.sip.identity.stir: cannot read CA file " + anchors),
                run.out());
    }

    @Test
    void explainPrintsThePlanAsJson() throws IOException {
        Run run = run("explain", "--config", config().toString(), "--number", "18005550100",
                "--caller", "+14155550123", "--at", "2026-03-14T15:00:00Z", "--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals("{\"number\":\"+18005550100\",\"campaign\":\"auto\",\"source\":\"facebook\","
                + "\"candidates\":[{\"handler\":\"backup\",\"priority\":2,\"weight\":3}],"
                + "\"skipped\":[{\"handler\":\"office\",\"reason\":\"closed\"},"
                + "{\"handler\":\"texas\",\"reason\":\"criteria: caller_state == TX\"}]}", run.out().strip());
    }

    @Test
    void explainUsesTheTimeAndTagsGiven() throws IOException {
        Run run = run("explain", "--config", config().toString(), "--number", "+1 800 555 0100",
                "--caller", "+15125550100", "--at", "2026-03-16T10:00:00-04:00", "--tag", "publisher=p1");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("caller:   +15125550100 (TX, US)"), run.out());
        assertTrue(run.out().contains("at:       2026-03-16T14:00:00Z"), run.out());
        assertTrue(run.out().contains("1. "), run.out());
        assertTrue(run.out().contains(". office  sip:office@127.0.0.1:5080  priority 1  weight 1  timeout 30s"), run.out());
        assertTrue(run.out().contains(". texas  sip:texas@127.0.0.1:5081"), run.out());
        assertTrue(run.out().contains("3. backup"), run.out());
    }

    @Test
    void explainDoesNotCountCaps() throws IOException {
        Path file = config();
        for (int i = 0; i < 3; i++) {
            Run run = run("explain", "--config", file.toString(), "--number", "18005550100",
                    "--at", "2026-03-16T14:00:00Z", "--json");
            assertTrue(run.out().contains("{\"handler\":\"office\",\"priority\":1,\"weight\":1}"), run.out());
        }
    }

    @Test
    void explainOfAnUnknownNumberExitsTwo() throws IOException {
        Run run = run("explain", "--config", config().toString(), "--number", "18005550199");
        assertEquals(2, run.exit());
        assertEquals("unknown number: +18005550199 is not a tracked number", run.err().strip());
        Run badTime = run("explain", "--config", config().toString(), "--number", "18005550100", "--at", "tomorrow");
        assertEquals(2, badTime.exit());
        assertTrue(badTime.err().contains("expected an ISO-8601 time"), badTime.err());
    }

    @Test
    void explainReportsConfigurationErrors() throws IOException {
        Path bad = temp.resolve("bad.yaml");
        Files.writeString(bad, "handlers: 5\n");
        Run run = run("explain", "--config", bad.toString(), "--number", "18005550100");
        assertEquals(1, run.exit());
        assertEquals(bad + ":1:11: handlers: expected a list, got the number 5", run.err().strip());
    }

    @Test
    void explainFindsTheDefaultConfigurationUnderRouterHome() throws IOException {
        Path home = temp.resolve("home");
        Files.createDirectories(home.resolve("config"));
        Files.copy(config(), home.resolve("config/router.yaml"));
        String previous = System.getProperty("router.home");
        System.setProperty("router.home", home.toString());
        try {
            Run run = run("explain", "--number", "18005550100", "--json");
            assertEquals(0, run.exit(), run.err());
        } finally {
            if (previous == null) {
                System.clearProperty("router.home");
            } else {
                System.setProperty("router.home", previous);
            }
        }
    }

    @Test
    void numbersImportReportsCountsAndBadRows() throws IOException {
        Path file = config();
        Path csv = temp.resolve("numbers.csv");
        Files.writeString(csv, "number,campaign,source\n+18005550201,auto,facebook\nbad,auto,facebook\n8005550202,auto,nobody\n");
        Run run = run("numbers", "import", csv.toString(), "--config", file.toString());
        assertEquals(1, run.exit(), run.err());
        assertEquals("", run.err(), "no progress line when not on a terminal");
        assertTrue(run.out().startsWith(csv + ": 3 rows, 1 inserted, 0 updated, 0 unchanged, 2 refused ("), run.out());
        assertTrue(run.out().contains(csv + ":line 3: \"bad\" is not a phone number (default region US): bad,auto,facebook"),
                run.out());
        assertTrue(run.out().contains(csv + ":line 4: unknown source \"nobody\": 8005550202,auto,nobody"), run.out());
        Run explain = run("explain", "--config", file.toString(), "--number", "18005550201", "--json");
        assertEquals(0, explain.exit(), explain.err());
        Run clean = run("numbers", "import", csv.toString().replace("numbers.csv", "none.csv"), "--config", file.toString());
        assertEquals(1, clean.exit());
        assertTrue(clean.err().contains("file not found"), clean.err());
    }

    @Test
    void numbersRemoveQuarantinesImportedNumbersAndRefusesListedOnes() throws IOException {
        Path file = config();
        Path csv = temp.resolve("numbers.csv");
        Files.writeString(csv, "+18005550201,auto,facebook\n");
        assertEquals(0, run("numbers", "import", csv.toString(), "--config", file.toString()).exit());
        Run removed = run("numbers", "remove", "+18005550201", "--config", file.toString());
        assertEquals(0, removed.exit(), removed.err());
        assertTrue(removed.out().startsWith("+18005550201 removed from campaign auto; quarantined until "), removed.out());
        Run refused = run("numbers", "remove", "+18005550100", "555", "--config", file.toString());
        assertEquals(2, refused.exit(), refused.out());
        assertTrue(refused.err().contains(file + ":") && refused.err().contains(
                "numbers[0].number: +18005550100 is listed in the configuration file; remove it there and reload"),
                refused.err());
        assertTrue(refused.err().contains("\"555\" is not a phone number"), refused.err());
        Run reimport = run("numbers", "import", csv.toString(), "--config", file.toString());
        assertEquals(1, reimport.exit(), reimport.err());
        assertTrue(reimport.out().contains("+18005550201 is quarantined until"), reimport.out());
    }
}
