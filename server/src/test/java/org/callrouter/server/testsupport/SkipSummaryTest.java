package org.callrouter.server.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class SkipSummaryTest {

    @Test
    void listsEverySkippedTestByReason() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final TestExecutionSummary summary = TestKit.run(Skips.class, Map.of(),
                new SkipSummary(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals(1, summary.getTestsSucceededCount(), summary::toString);
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("SKIPPED: 3 tests or classes did not run"), out);
        assertTrue(out.contains("  2 x frob is not installed (apt-get install frob): test skipped"), out);
        assertTrue(out.contains(Skips.class.getName() + ".needsFrob"), out);
        assertTrue(out.contains(Skips.class.getName() + ".alsoNeedsFrob"), out);
        assertTrue(out.contains("  1 x waits for the fix"), out);
    }

    @Test
    void printsNothingWhenNothingWasSkipped() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TestKit.run(ClassTimeoutTest.Quick.class, Map.of(), new SkipSummary(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    static class Skips {
        private static final RequiredTool NOT_CI = RequiredTool.forEnvironment(Map.of());

        @Test
        void needsFrob() {
            NOT_CI.require(Optional.empty(), "frob", "apt-get install frob");
        }

        @Test
        void alsoNeedsFrob() {
            NOT_CI.require(Optional.empty(), "frob", "apt-get install frob");
        }

        @Test
        @Disabled("waits for the fix")
        void disabled() {
        }

        @Test
        void runs() {
        }
    }
}
