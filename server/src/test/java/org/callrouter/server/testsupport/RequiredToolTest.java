package org.callrouter.server.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {

    @Test
    void anInstalledToolIsReturnedWhateverTheEnvironment() {
        assertEquals("/usr/bin/jq", RequiredTool.forEnvironment(Map.of("CI", "true"))
                .require(Optional.of("/usr/bin/jq"), "jq", "apt-get install jq"));
        assertEquals("/usr/bin/jq", RequiredTool.forEnvironment(Map.of())
                .require(Optional.of("/usr/bin/jq"), "jq", "apt-get install jq"));
    }

    @Test
    void underCiAMissingToolFailsTheTestSayingWhatToInstall() {
        final AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> RequiredTool
                .forEnvironment(Map.of("CI", "true")).require(Optional.empty(), "jq", "apt-get install jq"));
        assertTrue(failure.getMessage().startsWith("jq is not installed (apt-get install jq)"), failure.getMessage());
        assertTrue(failure.getMessage().contains("CI is set"), failure.getMessage());
    }

    @Test
    void elsewhereAMissingToolSkipsTheTestSayingWhatToInstall() {
        final TestAbortedException skip = assertThrows(TestAbortedException.class, () -> RequiredTool
                .forEnvironment(Map.of()).require(Optional.empty(), "jq", "apt-get install jq"));
        assertTrue(skip.getMessage().startsWith("jq is not installed (apt-get install jq)"), skip.getMessage());
    }

    @Test
    void ciCountsAsSetUnlessEmptyFalseOrZero() {
        for (String value : new String[] {"true", "1", "yes", "TRUE"}) {
            assertTrue(RequiredTool.forEnvironment(Map.of("CI", value)).underCi(), value);
        }
        for (String value : new String[] {"", " ", "false", "False", "0"}) {
            assertFalse(RequiredTool.forEnvironment(Map.of("CI", value)).underCi(), "'" + value + "'");
        }
        assertFalse(RequiredTool.forEnvironment(Map.of()).underCi());
    }
}
