package org.callrouter.routing.criteria;

/** A call's tags as criteria read them. */
public interface Tags {

    /**
     * The value of a tag, or {@code null} when the call does not have it (or it is empty).
     *
     * @param builtin the tag when it is built in (resolved once when the criterion is
     *                parsed, so that evaluation does not compare names), else {@code null}
     * @param name    the tag's name
     */
    String value(BuiltinTag builtin, String name);
}
