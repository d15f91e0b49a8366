package org.callrouter.routing.criteria;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tag criterion {@code TAG OP VALUE}, e.g. {@code caller_state in [CA, NY, TX]} or
 * {@code age < 65}.
 *
 * <p>Semantics, exactly:
 * <ul>
 *   <li>A tag that the call does not have, or has with an empty value, is <em>missing</em>:
 *       only {@code missing} holds for it; every other operator (including {@code !=} and
 *       {@code not in}) fails, as SQL's NULL does.</li>
 *   <li>When both sides are decimal numbers ({@code -?digits(.digits)?}) they are compared
 *       as numbers ({@code 65 == 65.0}); otherwise as text, ignoring case, with
 *       {@code <}/{@code >} comparing lexicographically (so ISO dates order correctly).</li>
 *   <li>{@code in [a, b]} holds when the tag equals any item by the rule above;
 *       {@code not in} when it equals none. Items may be quoted to contain commas.</li>
 * </ul>
 * Evaluation allocates nothing.
 */
public final class Criterion {

    private final String text;
    private final String tag;
    private final BuiltinTag builtin;
    private final Operator operator;
    private final String[] values;
    private final double[] numbers;
    /** Whether any value is a number (else the tag's value is never parsed as one). */
    private final boolean anyNumeric;

    private Criterion(String text, String tag, Operator operator, List<String> values) {
        this.text = text;
        this.tag = tag;
        this.builtin = BuiltinTag.of(tag);
        this.operator = operator;
        this.values = values.toArray(new String[0]);
        this.numbers = new double[this.values.length];
        boolean numeric = false;
        for (int i = 0; i < this.values.length; i++) {
            numbers[i] = Numeric.parse(this.values[i]);
            numeric |= !Double.isNaN(numbers[i]);
        }
        this.anyNumeric = numeric;
    }

    /**
     * Parses {@code TAG OP VALUE}.
     *
     * @throws CriterionSyntaxException naming what was expected
     */
    public static Criterion parse(String text) throws CriterionSyntaxException {
        return new Parser(text).parse();
    }

    /** Whether the call's tags meet this criterion. */
    public boolean test(Tags tags) {
        String value = tags.value(builtin, tag);
        if (value == null || value.isEmpty()) {
            return operator == Operator.MISSING;
        }
        switch (operator) {
            case EXISTS:
                return true;
            case MISSING:
                return false;
            case IN:
                return indexOf(value) >= 0;
            case NOT_IN:
                return indexOf(value) < 0;
            default:
                return compare(value);
        }
    }

    private int indexOf(String value) {
        double number = anyNumeric ? Numeric.parse(value) : Double.NaN;
        for (int i = 0; i < values.length; i++) {
            if (equal(value, number, i)) {
                return i;
            }
        }
        return -1;
    }

    private boolean equal(String value, double number, int i) {
        if (!Double.isNaN(number) && !Double.isNaN(numbers[i])) {
            return number == numbers[i];
        }
        return value.equalsIgnoreCase(values[i]);
    }

    private boolean compare(String value) {
        double number = anyNumeric ? Numeric.parse(value) : Double.NaN;
        int order;
        if (!Double.isNaN(number)) {
            order = Double.compare(number, numbers[0]);
        } else if (operator == Operator.EQ || operator == Operator.NE) {
            order = value.equalsIgnoreCase(values[0]) ? 0 : 1;
        } else {
            order = value.compareToIgnoreCase(values[0]);
        }
        return switch (operator) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            default -> throw new IllegalStateException(operator.name());
        };
    }

    /** The tag's name. */
    public String tag() {
        return tag;
    }

    /** The built-in tag, or {@code null} for a call tag. */
    public BuiltinTag builtin() {
        return builtin;
    }

    public Operator operator() {
        return operator;
    }

    /** The value(s) compared against: one for comparisons, the items for {@code in}, none otherwise. */
    public List<String> values() {
        return List.of(values);
    }

    /** The criterion as written (trimmed). */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Criterion other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Recursive-descent parser for one criterion. */
    private static final class Parser {
        private final String text;
        private final String trimmed;
        private final int offset;
        private int pos;

        Parser(String text) {
            this.text = text;
            this.trimmed = text.strip();
            this.offset = text.length() - text.stripLeading().length();
        }

        Criterion parse() throws CriterionSyntaxException {
            if (trimmed.isEmpty()) {
                throw error("empty criterion; expected TAG OP VALUE such as \"caller_state in [CA, NY]\"");
            }
            String tag = tag();
            skipSpaces();
            Operator operator = operator(tag);
            skipSpaces();
            List<String> values = new ArrayList<>();
            switch (operator) {
                case EXISTS, MISSING -> {
                    if (pos < trimmed.length()) {
                        throw error("'" + operator.symbol() + "' takes no value");
                    }
                }
                case IN, NOT_IN -> list(values);
                default -> values.add(single(operator));
            }
            return new Criterion(trimmed, tag, operator, values);
        }

        private String tag() throws CriterionSyntaxException {
            int start = pos;
            while (pos < trimmed.length() && isTagChar(trimmed.charAt(pos), pos == start)) {
                pos++;
            }
            if (pos == start) {
                throw error("expected a tag name (letters, digits, _ . -) at the start");
            }
            return trimmed.substring(start, pos);
        }

        private static boolean isTagChar(char c, boolean first) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
                return true;
            }
            return !first && (c >= '0' && c <= '9' || c == '.' || c == '-');
        }

        private Operator operator(String tag) throws CriterionSyntaxException {
            if (pos >= trimmed.length()) {
                throw error("expected an operator after '" + tag
                        + "' (==, !=, <, <=, >, >=, in, not in, exists, missing)");
            }
            for (String symbol : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
                if (trimmed.startsWith(symbol, pos)) {
                    pos += symbol.length();
                    return switch (symbol) {
                        case "==" -> Operator.EQ;
                        case "!=" -> Operator.NE;
                        case "<=" -> Operator.LE;
                        case ">=" -> Operator.GE;
                        case "<" -> Operator.LT;
                        default -> Operator.GT;
                    };
                }
            }
            int start = pos;
            while (pos < trimmed.length() && Character.isLetter(trimmed.charAt(pos))) {
                pos++;
            }
            String word = trimmed.substring(start, pos).toLowerCase(Locale.ROOT);
            switch (word) {
                case "in":
                    return Operator.IN;
                case "exists":
                    return Operator.EXISTS;
                case "missing":
                    return Operator.MISSING;
                case "not":
                    skipSpaces();
                    if (trimmed.regionMatches(true, pos, "in", 0, 2)
                            && (pos + 2 == trimmed.length() || !Character.isLetter(trimmed.charAt(pos + 2)))) {
                        pos += 2;
                        return Operator.NOT_IN;
                    }
                    throw error("expected 'in' after 'not'");
                default:
                    pos = start;
                    String found = trimmed.charAt(pos) == '=' ? "'=' (did you mean '=='?)"
                            : "'" + trimmed.substring(start, Math.min(trimmed.length(), start + 10)) + "'";
                    throw error("unknown operator " + found
                            + "; use ==, !=, <, <=, >, >=, in, not in, exists or missing");
            }
        }

        private String single(Operator operator) throws CriterionSyntaxException {
            if (pos >= trimmed.length()) {
                throw error("expected a value after '" + operator.symbol() + "'");
            }
            char first = trimmed.charAt(pos);
            if (first == '"' || first == '\'') {
                String value = quoted(first);
                skipSpaces();
                if (pos < trimmed.length()) {
                    throw error("unexpected text after the quoted value");
                }
                return value;
            }
            if (first == '[') {
                throw error("a list needs 'in' or 'not in', not '" + operator.symbol() + "'");
            }
            String value = trimmed.substring(pos).strip();
            pos = trimmed.length();
            return value;
        }

        private void list(List<String> values) throws CriterionSyntaxException {
            if (pos >= trimmed.length() || trimmed.charAt(pos) != '[') {
                throw error("expected a list such as [CA, NY] after 'in'");
            }
            pos++;
            while (true) {
                skipSpaces();
                if (pos >= trimmed.length()) {
                    throw error("missing ']' at the end of the list");
                }
                char c = trimmed.charAt(pos);
                if (c == ']' && values.isEmpty()) {
                    throw error("the list is empty");
                }
                String item;
                if (c == '"' || c == '\'') {
                    item = quoted(c);
                } else {
                    int start = pos;
                    while (pos < trimmed.length() && trimmed.charAt(pos) != ',' && trimmed.charAt(pos) != ']') {
                        pos++;
                    }
                    item = trimmed.substring(start, pos).strip();
                    if (item.isEmpty()) {
                        pos = start;
                        throw error("empty item in the list");
                    }
                }
                values.add(item);
                skipSpaces();
                if (pos >= trimmed.length()) {
                    throw error("missing ']' at the end of the list");
                }
                char separator = trimmed.charAt(pos++);
                if (separator == ']') {
                    break;
                }
                if (separator != ',') {
                    pos--;
                    throw error("expected ',' or ']' in the list");
                }
            }
            skipSpaces();
            if (pos < trimmed.length()) {
                throw error("unexpected text after the list");
            }
        }

        private String quoted(char quote) throws CriterionSyntaxException {
            int start = ++pos;
            while (pos < trimmed.length() && trimmed.charAt(pos) != quote) {
                pos++;
            }
            if (pos >= trimmed.length()) {
                pos = start - 1;
                throw error("unterminated quote " + quote);
            }
            return trimmed.substring(start, pos++);
        }

        private void skipSpaces() {
            while (pos < trimmed.length() && Character.isWhitespace(trimmed.charAt(pos))) {
                pos++;
            }
        }

        private CriterionSyntaxException error(String message) {
            return new CriterionSyntaxException(message + " in \"" + text.strip() + "\"", offset + pos + 1);
        }
    }
}
