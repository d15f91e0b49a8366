package org.callrouter.routing.template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A webhook URL or body with {@code [token]} replacement: {@code [caller_number]} becomes
 * the call's value; {@code [token]{default}} uses {@code default} when the value is
 * missing or empty.
 *
 * <p>A token name is a letter or {@code _} followed by letters, digits, {@code _},
 * {@code .} or {@code -}. A {@code [} that is not followed by such a name and then
 * {@code ]} is plain text (so JSON arrays such as {@code ["a", 2]} pass through). Two
 * things are errors: a name that runs to the end of the template (a token missing its
 * {@code ]}) and a default whose <code>}</code> is missing.
 */
public final class Template {

    private final String text;
    private final String[] literals;
    private final String[] tokens;
    private final String[] defaults;

    private Template(String text, List<String> literals, List<String> tokens, List<String> defaults) {
        this.text = text;
        this.literals = literals.toArray(new String[0]);
        this.tokens = tokens.toArray(new String[0]);
        this.defaults = defaults.toArray(new String[0]);
    }

    /**
     * Parses a template.
     *
     * @throws TemplateSyntaxException naming the position of an unterminated token or default
     */
    public static Template parse(String text) throws TemplateSyntaxException {
        List<String> literals = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '[' && i + 1 < text.length() && isNameStart(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < text.length() && isNameChar(text.charAt(end))) {
                    end++;
                }
                if (end >= text.length()) {
                    throw new TemplateSyntaxException("token [" + text.substring(i + 1, end)
                            + " at character " + (i + 1) + " is not closed by ']'");
                }
                if (text.charAt(end) != ']') {
                    literal.append(text, i, end);
                    i = end;
                    continue;
                }
                String token = text.substring(i + 1, end);
                String dflt = null;
                i = end + 1;
                if (i < text.length() && text.charAt(i) == '{') {
                    int close = text.indexOf('}', i);
                    if (close < 0) {
                        throw new TemplateSyntaxException("default of [" + token + "] at character " + (i + 1)
                                + " is not closed by '}'");
                    }
                    dflt = text.substring(i + 1, close);
                    i = close + 1;
                }
                literals.add(literal.toString());
                literal.setLength(0);
                tokens.add(token);
                defaults.add(dflt);
            } else {
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
        return new Template(text, literals, tokens, defaults);
    }

    private static boolean isNameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-';
    }

    /**
     * Replaces every token by {@code values.apply(name)}; a {@code null} or empty value
     * gives the token's default, or nothing when it has none.
     *
     * @param escape applied to each substituted value (URL-encoding, JSON escaping)
     */
    public String render(Function<String, String> values, Function<String, String> escape) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (int i = 0; i < tokens.length; i++) {
            out.append(literals[i]);
            String value = values.apply(tokens[i]);
            if (value == null || value.isEmpty()) {
                value = defaults[i];
            }
            if (value != null) {
                out.append(escape.apply(value));
            }
        }
        return out.append(literals[tokens.length]).toString();
    }

    /** The token names used, in order of first use. */
    public Set<String> tokens() {
        return new LinkedHashSet<>(List.of(tokens));
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
