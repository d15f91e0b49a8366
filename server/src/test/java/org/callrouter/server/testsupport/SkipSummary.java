package org.callrouter.server.testsupport;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of a test run, how many tests were skipped and why (the assumption's or
 * {@link RequiredTool}'s message, or the {@code @Disabled} reason), grouped by reason, so that a
 * check that did not run shows in the {@code mvn verify} output instead of only as a count in
 * Surefire's table. Registered with the JUnit Platform launcher through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}, so Surefire and
 * Failsafe both load it.
 */
public final class SkipSummary implements TestExecutionListener {
    private final Map<String, List<String>> testsByReason = new TreeMap<>();
    private final PrintStream out;

    /** Prints to standard output (the build log). */
    public SkipSummary() {
        this(System.out);
    }

    SkipSummary(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(test, result.getThrowable().map(Throwable::getMessage).orElse(null));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        final int skipped = testsByReason.values().stream().mapToInt(List::size).sum();
        if (skipped == 0) {
            return;
        }
        out.println();
        out.println("SKIPPED: " + skipped + (skipped == 1 ? " test or class" : " tests or classes") + " did not run ("
                + (RequiredTool.fromEnvironment().underCi() ? RequiredTool.CI_VARIABLE + " is set" : RequiredTool.CI_VARIABLE
                + " is not set: a missing tool skips its test; under CI it fails") + "):");
        testsByReason.forEach((reason, tests) -> {
            out.println("  " + tests.size() + " x " + reason);
            tests.forEach(test -> out.println("      " + test));
        });
        out.println();
        out.flush();
        testsByReason.clear();
    }

    private synchronized void record(TestIdentifier test, String reason) {
        testsByReason.computeIfAbsent(reason == null || reason.isBlank() ? "(no reason given)" : reason,
                r -> new ArrayList<>()).add(name(test));
    }

    private static String name(TestIdentifier test) {
        final TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            final String name = method.getClassName() + "." + method.getMethodName();
            return test.getDisplayName().startsWith(method.getMethodName() + "(") ? name : name + "  " + test.getDisplayName();
        }
        if (source instanceof ClassSource type) {
            return type.getClassName();
        }
        return test.getDisplayName();
    }
}
