package org.callrouter.server.b2bua;

/** How one handler attempt ended, as the record shows it. */
public enum AttemptResult {
    ANSWERED("answered"),
    /** Ring timeout, 408 or 480. */
    NO_ANSWER("no-answer"),
    /** 486 or 600. */
    BUSY("busy"),
    /** 603 or other declines the handler chose. */
    DECLINED("declined"),
    /** Any other failure answer, a transaction timeout or a transport error. */
    FAILED("failed"),
    /** The carrier cancelled while this handler rang. */
    CANCELED("canceled");

    private final String label;

    AttemptResult(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Classifies a final failure status from a handler. */
    public static AttemptResult ofStatus(int status) {
        return switch (status) {
            case 408, 480, 487 -> NO_ANSWER;
            case 486, 600 -> BUSY;
            case 603 -> DECLINED;
            default -> FAILED;
        };
    }
}
