package org.callrouter.routing.criteria;

/** A criterion that cannot be parsed; the message says what was expected and where. */
public final class CriterionSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int column;

    CriterionSyntaxException(String message, int column) {
        super(message + " (at character " + column + ")");
        this.column = column;
    }

    /** 1-based position in the criterion text. */
    public int column() {
        return column;
    }
}
