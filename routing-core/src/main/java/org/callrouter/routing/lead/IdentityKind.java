package org.callrouter.routing.lead;

/**
 * The kinds of identity a lead has (server README, "Leads, sessions and sales"). Declared in
 * the order a sale matches them: the first kind of the sale that matches a lead decides the
 * sale's {@code via} (LEAD_REF, CUSTOMER, EMAIL, PHONE, VISITOR).
 */
public enum IdentityKind {
    /** An external lead id: a carrier header, a visitor tag ({@code lead_id}) or the API. */
    LEAD_REF("lead_ref"),
    /** The operator's own customer id (tag {@code customer_id}, the sale's {@code customer_id}). */
    CUSTOMER("customer"),
    /** An email address, trimmed and case-folded. */
    EMAIL("email"),
    /** A caller number in E.164 ({@code +15551230001}). */
    PHONE("phone"),
    /** A visitor (number pool) session id. */
    VISITOR("visitor");

    private final String wireName;

    IdentityKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in JSON, the database and the API ({@code phone}, {@code lead_ref}, ...). */
    public String wireName() {
        return wireName;
    }

    /** Lower is stronger when a sale picks the identity it came through. */
    public int matchRank() {
        return ordinal();
    }

    /**
     * The kind named {@code name} ({@code phone}, {@code email}, {@code lead_ref}, {@code visitor},
     * {@code customer}; case-insensitive).
     *
     * @throws IllegalArgumentException naming the allowed names
     */
    public static IdentityKind fromWire(String name) {
        return WireNames.parse(values(), IdentityKind::wireName, name, "identity kind",
                "phone, email, lead_ref, visitor or customer");
    }
}
