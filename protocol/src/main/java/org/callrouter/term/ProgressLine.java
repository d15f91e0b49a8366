package org.callrouter.term;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line of a long command ({@code router numbers import}, {@code loadgen run}): one
 * line on the terminal, redrawn in place with {@code \r} at most every {@link #MIN_REDRAW_NS},
 * ended with a newline by {@link #finish}. It shows the time since the start, what is done (and
 * of how much, when the total is known), the recent rate, the time left and a caller's detail:
 * <pre>[1m05s] 650k/1.0M rows (65%) | 10.0k rows/s | 35s left</pre>
 *
 * <p>The rule of every command: the line goes to stderr, only when {@link #terminal()} and the
 * command's {@code --quiet} is not given; otherwise {@link #silent()} writes nothing, so output
 * redirected to a file or a pipe holds no {@code \r} noise. Not thread-safe: one thread draws.
 */
public final class ProgressLine {

    /** Redraws closer together than this are skipped: a terminal cannot be read faster. */
    public static final long MIN_REDRAW_NS = 250_000_000L;

    private static final long NS_PER_S = 1_000_000_000L;

    private final PrintStream out;
    private final String unit;
    private final LongSupplier clock;
    private final long startNs;
    private long lastDrawNs;
    private long lastDone;
    private int lastWidth;
    private boolean drawn;

    /**
     * A line drawn on {@code out} (null: {@link #silent()}), counting {@code unit} ("rows",
     * "calls"), timed by {@code clock} in nanoseconds; the start is now.
     */
    public ProgressLine(PrintStream out, String unit, LongSupplier clock) {
        this.out = out;
        this.unit = unit;
        this.clock = clock;
        this.startNs = clock.getAsLong();
        this.lastDrawNs = startNs;
    }

    /** The line of a command on System.err: drawn when {@link #terminal()} and not {@code quiet}. */
    public static ProgressLine forStderr(String unit, boolean quiet) {
        return new ProgressLine(!quiet && terminal() ? System.err : null, unit, System::nanoTime);
    }

    /** A line that draws nothing. */
    public static ProgressLine silent() {
        return new ProgressLine(null, "", () -> 0L);
    }

    /**
     * Whether the process talks to a terminal. Java 17 tells only that stdin and stdout both are
     * one ({@link System#console()}), not stderr alone; redirecting either turns progress off.
     */
    public static boolean terminal() {
        return System.console() != null;
    }

    /** Whether this line draws anything. */
    public boolean enabled() {
        return out != null;
    }

    /** Reports {@code done} of {@code total} (negative: not known); redraws when it is time. */
    public void update(long done, long total) {
        update(done, total, "");
    }

    /** The same, with {@code detail} appended to the line. */
    public void update(long done, long total, String detail) {
        if (out == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now - lastDrawNs < MIN_REDRAW_NS) {
            return;
        }
        draw(now, done, total, detail, false);
    }

    /**
     * Shows only the time since the start and {@code what}, for work that tells neither what it has
     * done nor how much there is (a database that reports no progress): {@code [12s] what}.
     */
    public void elapsed(String what) {
        if (out == null) {
            return;
        }
        long now = clock.getAsLong();
        if (now - lastDrawNs < MIN_REDRAW_NS) {
            return;
        }
        print(now, '[' + duration((now - startNs) / NS_PER_S) + "] " + what, false);
    }

    /**
     * Draws the final counts (the rate then is the average of the whole run) and ends the line
     * with a newline, if a line was drawn; a job done before the first redraw leaves no trace.
     */
    public void finish(long done, long total, String detail) {
        if (out == null || !drawn) {
            return;
        }
        draw(clock.getAsLong(), done, total, detail, true);
        drawn = false;
    }

    /** {@link #finish(long, long, String)} without detail. */
    public void finish(long done, long total) {
        finish(done, total, "");
    }

    /**
     * Ends a drawn line with a newline as it stands, so an error printed next starts on a line of
     * its own; does nothing after {@link #finish} or when nothing was drawn.
     */
    public void end() {
        if (out != null && drawn) {
            out.println();
            out.flush();
            drawn = false;
        }
    }

    private void draw(long now, long done, long total, String detail, boolean last) {
        double rate = last ? perSecond(done, now - startNs) : perSecond(done - lastDone, now - lastDrawNs);
        print(now, format(now - startNs, done, total, rate, unit, detail), last);
        lastDone = done;
    }

    /** Draws {@code text} over the line as it stands, padded over a longer previous one. */
    private void print(long now, String text, boolean last) {
        StringBuilder sb = new StringBuilder(text.length() + 8).append('\r').append(text);
        // spaces over what a longer previous line left behind
        for (int i = text.length(); i < lastWidth; i++) {
            sb.append(' ');
        }
        if (last) {
            sb.append(System.lineSeparator());
        }
        out.print(sb);
        out.flush();
        lastWidth = text.length();
        lastDrawNs = now;
        drawn = true;
    }

    private static double perSecond(long count, long ns) {
        return ns <= 0 ? 0 : count * (double) NS_PER_S / ns;
    }

    /**
     * The text of a line: {@code [elapsed] done[/total unit (pct)] | rate unit/s[ | left] | detail}.
     * The time left is the rest at the rate shown, the recent one: an import speeds up as the JIT
     * compiles it, and the average since the start would overstate what is left for long.
     */
    public static String format(long elapsedNs, long done, long total, double rate, String unit, String detail) {
        StringBuilder sb = new StringBuilder(96).append('[').append(duration(elapsedNs / NS_PER_S)).append("] ");
        sb.append(count(done));
        if (total >= 0) {
            sb.append('/').append(count(total));
        }
        sb.append(' ').append(unit);
        if (total > 0) {
            sb.append(" (").append(Math.min(100, done * 100 / total)).append("%)");
        }
        sb.append(" | ").append(count(Math.round(rate))).append(' ').append(unit).append("/s");
        if (total >= 0 && (rate > 0 || done >= total)) {
            long leftS = done >= total ? 0 : (long) Math.ceil((total - done) / rate);
            sb.append(" | ").append(duration(leftS)).append(" left");
        }
        if (!detail.isEmpty()) {
            sb.append(" | ").append(detail);
        }
        return sb.toString();
    }

    /** A count in at most four significant characters: 999, 1.2k, 45.6k, 123k, 1.0M, 2.5G. */
    public static String count(long n) {
        if (Math.abs(n) < 1000) {
            return Long.toString(n);
        }
        String[] units = {"k", "M", "G", "T", "P", "E"};
        double v = n;
        int u = -1;
        while (Math.abs(v) >= 999.95 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, Math.abs(v) < 99.95 ? "%.1f%s" : "%.0f%s", v, units[u]);
    }

    /** Seconds as 42s, 3m05s or 2h07m. */
    public static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
