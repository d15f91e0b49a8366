package org.callrouter.routing.criteria;

/** Tags every call has (when known), derived by the router; a call's own tags cannot override them. */
public enum BuiltinTag {
    /** The caller's number in E.164, or as received when it is not a phone number. */
    CALLER_NUMBER("caller_number"),
    /** The caller's NANP area code ({@code 415}). */
    CALLER_AREA_CODE("caller_area_code"),
    /** The caller's US state, territory or Canadian province from the NANP area code ({@code CA}). */
    CALLER_STATE("caller_state"),
    /** The caller's country, ISO 3166 alpha-2 ({@code US}). */
    CALLER_COUNTRY("caller_country"),
    /** The dialed tracked number in E.164. */
    DIALED_NUMBER("dialed_number"),
    /** The tracked number's source id. */
    SOURCE("source"),
    /** The tracked number's campaign id. */
    CAMPAIGN("campaign");

    private static final BuiltinTag[] VALUES = values();

    private final String tagName;

    BuiltinTag(String tagName) {
        this.tagName = tagName;
    }

    /** The tag's name in criteria, templates and records. */
    public String tagName() {
        return tagName;
    }

    /** The built-in tag of that name, or {@code null}. */
    public static BuiltinTag of(String name) {
        for (BuiltinTag tag : VALUES) {
            if (tag.tagName.equals(name)) {
                return tag;
            }
        }
        return null;
    }

    /** All built-in tags in declaration order (shared array: do not modify). */
    static BuiltinTag[] all() {
        return VALUES;
    }
}
