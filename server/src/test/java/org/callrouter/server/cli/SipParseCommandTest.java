package org.callrouter.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.callrouter.sip.torture.Rfc4475;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code router sip-parse} gives every RFC 4475 message the verdict of {@link Rfc4475}. */
class SipParseCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exitCode, List<JsonNode> lines, String err) {
    }

    private static Run run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RouterCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new Run(code, lines, err.toString());
    }

    @Test
    void givesEveryTortureMessageItsVerdict() throws Exception {
        List<String> args = new ArrayList<>(List.of("sip-parse"));
        for (Rfc4475 t : Rfc4475.values()) {
            Path file = dir.resolve(t.file() + ".dat");
            Files.write(file, t.bytes());
            args.add(file.toString());
        }
        Run run = run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode(), "some torture messages are invalid");
        assertEquals(Rfc4475.values().length, run.lines().size());
        for (int i = 0; i < Rfc4475.values().length; i++) {
            Rfc4475 t = Rfc4475.values()[i];
            JsonNode line = run.lines().get(i);
            assertTrue(line.get("file").asText().endsWith(t.file() + ".dat"));
            assertEquals(t.valid(), line.get("valid").asBoolean(), t.file() + ": " + line);
            if (t.valid()) {
                assertTrue(line.get("kind").asText().matches("request|response"), t.file());
                assertTrue(line.has("callId") && line.has("cseq") && line.has("branch") && line.has("headers")
                        && line.has("bodyBytes"), t.file());
            } else {
                assertEquals(t.status(), line.get("status").asInt(), t.file() + ": " + line);
                assertFalse(line.get("reason").asText().isEmpty(), t.file());
            }
        }
    }

    @Test
    void printsTheFieldsOfAValidRequest() throws Exception {
        Path file = dir.resolve("wsinv.dat");
        Files.write(file, Rfc4475.WSINV.bytes());
        Run run = run("sip-parse", file.toString());
        assertEquals(0, run.exitCode());
        JsonNode line = run.lines().get(0);
        assertEquals("request", line.get("kind").asText());
        assertEquals("INVITE", line.get("method").asText());
        assertEquals("sip:vivekg@chair-dnrc.example.com;unknownparam", line.get("requestUri").asText());
        assertTrue(line.get("status").isNull());
        assertEquals("wsinv.ndaksdj@192.0.2.1", line.get("callId").asText());
        assertEquals("9 INVITE", line.get("cseq").asText());
        assertEquals("390skdjuw", line.get("branch").asText());
        assertEquals(14, line.get("headers").asInt());
        assertEquals(150, line.get("bodyBytes").asInt());
    }

    @Test
    void printsTheStatusOfAValidResponse() throws Exception {
        Path file = dir.resolve("noreason.dat");
        Files.write(file, Rfc4475.NOREASON.bytes());
        Run run = run("sip-parse", file.toString());
        assertEquals(0, run.exitCode());
        assertEquals("response", run.lines().get(0).get("kind").asText());
        assertEquals(100, run.lines().get(0).get("status").asInt());
    }

    @Test
    void anUnreadableFileExitsWithTwoAndSaysWhich() throws Exception {
        Path file = dir.resolve("noreason.dat");
        Files.write(file, Rfc4475.NOREASON.bytes());
        Path missing = dir.resolve("missing.dat");
        Run run = run("sip-parse", file.toString(), missing.toString());
        assertEquals(2, run.exitCode());
        assertEquals(1, run.lines().size());
        assertTrue(run.err().contains("missing.dat"), run.err());
    }
}
