package org.callrouter.server.sipua;

/**
 * How a SIPp run ended, from its exit code and the last line of its {@code -trace_stat} file.
 *
 * @param exitCode        SIPp's exit code (0: every call succeeded, 1: at least one failed)
 * @param successfulCalls the {@code SuccessfulCall(C)} counter
 * @param failedCalls     the {@code FailedCall(C)} counter
 * @param output          the end of what SIPp printed, for failure messages
 */
public record SippResult(int exitCode, long successfulCalls, long failedCalls, String output) {
    @Override
    public String toString() {
        return "sipp exit " + exitCode + ": " + successfulCalls + " successful, " + failedCalls + " failed\n" + output;
    }
}
