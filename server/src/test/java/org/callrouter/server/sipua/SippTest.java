package org.callrouter.server.sipua;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.callrouter.server.testsupport.RequiredTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What a SIPp test does on a machine without SIPp (hidden with {@value Sipp#BINARY_PROPERTY}). */
class SippTest {
    private String before;

    @BeforeEach
    void hideSipp() {
        before = System.setProperty(Sipp.BINARY_PROPERTY, "/nonexistent/sipp");
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(Sipp.BINARY_PROPERTY);
        } else {
            System.setProperty(Sipp.BINARY_PROPERTY, before);
        }
    }

    @Test
    void underCiAMissingSippFailsTheTestSayingWhatToInstall() {
        final AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> Sipp.requireInstalled(RequiredTool.forEnvironment(Map.of("CI", "true"))));
        assertTrue(failure.getMessage().startsWith("sipp is not installed (apt-get install sip-tester)"),
                failure.getMessage());
    }

    @Test
    void withoutCiAMissingSippSkipsTheTest() {
        final TestAbortedException skip = assertThrows(TestAbortedException.class,
                () -> Sipp.requireInstalled(RequiredTool.forEnvironment(Map.of())));
        assertTrue(skip.getMessage().startsWith("sipp is not installed (apt-get install sip-tester)"), skip.getMessage());
    }
}
