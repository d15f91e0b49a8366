package org.callrouter.routing.template;

/** A template whose tokens are malformed. */
public final class TemplateSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    TemplateSyntaxException(String message) {
        super(message);
    }
}
