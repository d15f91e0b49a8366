package org.callrouter.routing.criteria;

/** The operators of a criterion {@code TAG OP VALUE}. */
public enum Operator {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    IN("in"), NOT_IN("not in"), EXISTS("exists"), MISSING("missing");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    /** As written in a criterion. */
    public String symbol() {
        return symbol;
    }
}
