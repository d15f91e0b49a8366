package org.callrouter.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final long S = 1_000_000_000L;

    /** A clock the test moves by hand. */
    private final long[] now = {5 * S};
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void humanCountsKeepFourSignificantCharacters() {
        assertEquals("0", ProgressLine.count(0));
        assertEquals("999", ProgressLine.count(999));
        assertEquals("1.0k", ProgressLine.count(1000));
        assertEquals("45.7k", ProgressLine.count(45_678));
        assertEquals("100k", ProgressLine.count(99_960));
        assertEquals("1.0M", ProgressLine.count(999_999));
        assertEquals("2.5G", ProgressLine.count(2_500_000_000L));
    }

    @Test
    void durationsAreSecondsMinutesOrHours() {
        assertEquals("42s", ProgressLine.duration(42));
        assertEquals("3m05s", ProgressLine.duration(185));
        assertEquals("2h07m", ProgressLine.duration(2 * 3600 + 7 * 60 + 59));
    }

    @Test
    void aKnownTotalGivesPercentAndTimeLeftAtTheAverageRate() {
        assertEquals("[1m05s] 650k/1.0M rows (65%) | 12.0k rows/s | 30s left | refused 3",
                ProgressLine.format(65 * S, 650_000, 1_000_000, 12_000, "rows", "refused 3"));
        assertEquals("[2s] 1.5k calls | 750 calls/s", ProgressLine.format(2 * S, 1500, -1, 750, "calls", ""));
    }

    @Test
    void redrawsInPlaceAtMostFourTimesASecondAndEndsWithANewline() {
        ProgressLine line = new ProgressLine(out, "rows", () -> now[0]);
        now[0] += 100_000_000L;
        line.update(100, 1000);
        assertEquals("", written(), "nothing before the first quarter second");
        now[0] += 900_000_000L;
        line.update(400, 1000);
        assertEquals("\r[1s] 400/1.0k rows (40%) | 400 rows/s | 2s left", written());
        now[0] += 200_000_000L;
        line.update(500, 1000);
        assertEquals("\r[1s] 400/1.0k rows (40%) | 400 rows/s | 2s left", written(), "too soon to redraw");
        now[0] += 800_000_000L;
        line.update(1000, 1000, "x");
        String second = "\r[2s] 1.0k/1.0k rows (100%) | 600 rows/s | 0s left | x";
        assertEquals("\r[1s] 400/1.0k rows (40%) | 400 rows/s | 2s left" + second, written());
        bytes.reset();
        now[0] += 2 * S;
        line.finish(1000, 1000);
        // the average rate of the whole run, and blanks over the longer line before
        assertEquals("\r[4s] 1.0k/1.0k rows (100%) | 250 rows/s | 0s left    " + System.lineSeparator(), written());
    }

    @Test
    void anInterruptedLineIsEndedAsItStandsOnce() {
        ProgressLine line = new ProgressLine(out, "rows", () -> now[0]);
        now[0] += S;
        line.update(7, -1);
        line.end();
        line.end();
        line.finish(7, -1);
        assertEquals("\r[1s] 7 rows | 7 rows/s" + System.lineSeparator(), written());
    }

    @Test
    void aJobDoneBeforeTheFirstRedrawLeavesNoTrace() {
        ProgressLine line = new ProgressLine(out, "rows", () -> now[0]);
        line.update(10, -1);
        line.finish(10, -1);
        assertEquals("", written());
    }

    @Test
    void aSilentLineWritesNothing() {
        ProgressLine line = new ProgressLine(null, "rows", () -> now[0]);
        now[0] += 10 * S;
        line.update(10, 100);
        line.finish(100, 100);
        assertFalse(line.enabled());
        assertFalse(ProgressLine.silent().enabled());
        assertEquals("", written());
    }

    @Test
    void notATerminalUnderTestsSoStderrLinesAreSilent() {
        // Surefire pipes the forked JVM's streams: the rule the commands use must say no terminal.
        assertFalse(ProgressLine.terminal());
        assertFalse(ProgressLine.forStderr("rows", false).enabled());
        assertFalse(ProgressLine.forStderr("rows", true).enabled());
    }
}
