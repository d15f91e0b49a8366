package org.callrouter.server.b2bua;

/** The final status of a call record (DESIGN.md, "Records"). */
public enum CallStatus {
    /** A handler answered and the call ended normally. */
    COMPLETED("completed"),
    /** Handlers were tried and none answered in time. */
    NO_ANSWER("no-answer"),
    /** Every handler tried was busy. */
    BUSY("busy"),
    /** Handlers were tried and failed otherwise, or none could be tried. */
    FAILED("failed"),
    /** The call was refused before any handler: unknown number, untrusted source, blocked caller, overload. */
    REJECTED("rejected"),
    /** The carrier cancelled before an answer. */
    CANCELED("canceled"),
    /**
     * The router process died (kill, crash) while the call was up; written by the next start,
     * with the talk time up to the last evidence of life (server README, "Crash recovery").
     */
    INTERRUPTED("interrupted");

    private final String label;

    CallStatus(String label) {
        this.label = label;
    }

    /** The name used in records, metrics and the API. */
    public String label() {
        return label;
    }
}
