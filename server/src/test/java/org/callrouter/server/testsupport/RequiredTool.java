package org.callrouter.server.testsupport;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Decides what a test does when an outside tool it runs (SIPp, jq, Python's Prometheus parser)
 * is not installed: under CI (the environment variable {@code CI} set, and not {@code false} or
 * {@code 0}) the test fails with a message saying what to install, because a check that skips
 * silently there proves nothing; elsewhere it is skipped (aborted, as a JUnit assumption does)
 * with the same message, and {@link SkipSummary} lists it at the end of the run.
 *
 * <pre>{@code
 * Path jq = RequiredTool.fromEnvironment().require(findJq(), "jq", "apt-get install jq");
 * }</pre>
 */
public final class RequiredTool {
    /** The environment variable CI services set (GitHub Actions, GitLab, Jenkins' plugins); {@code .ci/run} sets it. */
    public static final String CI_VARIABLE = "CI";

    private static final RequiredTool FROM_ENVIRONMENT = forEnvironment(System.getenv());

    private final boolean underCi;

    private RequiredTool(boolean underCi) {
        this.underCi = underCi;
    }

    /** The policy of this JVM's environment. */
    public static RequiredTool fromEnvironment() {
        return FROM_ENVIRONMENT;
    }

    /** The policy of the environment {@code variables} (tests of the policy itself). */
    public static RequiredTool forEnvironment(Map<String, String> variables) {
        final String ci = variables.get(CI_VARIABLE);
        final boolean set = ci != null && !ci.isBlank()
                && !ci.strip().toLowerCase(Locale.ROOT).equals("false") && !ci.strip().equals("0");
        return new RequiredTool(set);
    }

    /** Whether a missing tool fails the test. */
    public boolean underCi() {
        return underCi;
    }

    /**
     * The tool when {@code found} holds it. Otherwise fails the test under CI and skips it elsewhere,
     * with a message naming the tool and how to install it.
     *
     * @param found    the tool if it is installed (a path, a command)
     * @param tool     what is missing, e.g. {@code "sipp"}
     * @param install  how to get it, e.g. {@code "apt-get install sip-tester"}
     * @throws AssertionFailedError under CI when {@code found} is empty
     * @throws TestAbortedException elsewhere when {@code found} is empty
     */
    public <T> T require(Optional<T> found, String tool, String install) {
        if (found.isPresent()) {
            return found.get();
        }
        if (underCi) {
            throw new AssertionFailedError(tool + " is not installed (" + install + "): " + CI_VARIABLE
                    + " is set, so the test fails instead of skipping");
        }
        throw new TestAbortedException(tool + " is not installed (" + install + "): test skipped (with "
                + CI_VARIABLE + "=true it would fail)");
    }
}
