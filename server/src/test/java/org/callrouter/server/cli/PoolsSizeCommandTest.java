package org.callrouter.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code router pools size} without a router: the sizing maths and its refusals. */
class PoolsSizeCommandTest {

    @Test
    void printsTheNumbersAPoolNeeds() {
        final CliTest.Run run = CliTest.run("pools", "size", "--visitors-per-hour", "1000", "--session-minutes", "30");
        assertEquals(0, run.exit(), run::err);
        assertTrue(run.out().contains("concurrent visitors: 500 (1000 an hour x 30 minutes / 60)\n"), run.out());
        assertTrue(run.out().contains("numbers needed:      625 (with 25% headroom)\n"), run.out());
    }

    @Test
    void headroomIsAnOption() {
        final CliTest.Run run = CliTest.run("pools", "size", "--visitors-per-hour", "1000", "--session-minutes", "30",
                "--headroom", "0.1");
        assertEquals(0, run.exit(), run::err);
        assertTrue(run.out().contains("numbers needed:      550 (with 10% headroom)\n"), run.out());
    }

    @Test
    void badNumbersAreRefusedWithExit2() {
        final CliTest.Run negative = CliTest.run("pools", "size", "--visitors-per-hour", "-5", "--session-minutes",
                "30");
        assertEquals(2, negative.exit());
        assertTrue(negative.err().contains("visitors per hour must be a number >= 0"), negative.err());
        final CliTest.Run text = CliTest.run("pools", "size", "--visitors-per-hour", "many", "--session-minutes",
                "30");
        assertEquals(2, text.exit());
        final CliTest.Run missing = CliTest.run("pools", "size", "--visitors-per-hour", "100");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--session-minutes"), missing.err());
    }
}
