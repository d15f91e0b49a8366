package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.callrouter.server.testsupport.RequiredTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped receiver example, {@code config/examples/verify-webhook.py}, run with
 * {@code /usr/bin/python3} on signatures this router makes: a fresh one passes; a replay
 * with a changed timestamp, an old one, another body or another secret fail. Without Python
 * the test is skipped, or fails when {@code CI} is set.
 */
class VerifyWebhookExampleTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path EXAMPLE = Path.of("..", "config", "examples", "verify-webhook.py");
    private static final String SECRET = "whsec-0123456789";
    private static final byte[] BODY = "{\"event\":\"ended\",\"caller\":\"+14155550123\"}"
            .getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void python() {
        RequiredTool.fromEnvironment().require(Optional.of(PYTHON).filter(Files::isExecutable), PYTHON.toString(),
                "apt-get install python3");
        assertTrue(Files.isRegularFile(EXAMPLE), () -> EXAMPLE.toAbsolutePath() + " is missing");
    }

    /** The example's verdict: its exit code and what it printed. */
    private static String verdict(String header, byte[] body, String secret) throws IOException, InterruptedException {
        final Process p = new ProcessBuilder(PYTHON.toString(), EXAMPLE.toString(), secret, header)
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(body);
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the example finished");
        return p.exitValue() + " " + out;
    }

    @Test
    void aFreshSignaturePassesAndAReplayFails() throws Exception {
        final long now = TimeUnit.MILLISECONDS.toSeconds(System.currentTimeMillis());
        final String header = Signature.sign(SECRET, now, BODY);
        assertEquals("0 valid", verdict(header, BODY, SECRET));

        final String newTimestamp = header.replace("t=" + now, "t=" + (now + 1));
        assertEquals("1 invalid", verdict(newTimestamp, BODY, SECRET), "a replay with a changed timestamp");
        final String old = Signature.sign(SECRET, now - 10 * Signature.TOLERANCE_SECONDS, BODY);
        assertEquals("1 invalid", verdict(old, BODY, SECRET), "a replay of an old request, signature intact");
        assertEquals("1 invalid", verdict(header, "{\"event\":\"ended\"}".getBytes(StandardCharsets.UTF_8), SECRET));
        assertEquals("1 invalid", verdict(header, BODY, "another-secret-0123"));
    }
}
