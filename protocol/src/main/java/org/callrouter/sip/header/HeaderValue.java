package org.callrouter.sip.header;

import org.callrouter.sip.uri.Parameters;

/**
 * What the parameterised header values share: the text as written, which is also their
 * identity, and their header parameters.
 */
abstract class HeaderValue {

    private final String text;
    private final Parameters params;

    HeaderValue(String text, Parameters params) {
        this.text = text;
        this.params = params;
    }

    /** The value of parameter {@code name} (any case), unquoted; null when absent or valueless. */
    public String param(String name) {
        return params.get(name);
    }

    /** All parameters in order. */
    public Parameters params() {
        return params;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((HeaderValue) o).text.equals(text);
    }

    @Override
    public final int hashCode() {
        return text.hashCode();
    }

    /** The value as written (folds replaced by a space). */
    @Override
    public final String toString() {
        return text;
    }
}
