package org.callrouter.routing.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void phonesBecomeE164InTheDefaultRegion() {
        assertEquals(new Identity(IdentityKind.PHONE, "+15551230001"),
                Identity.parse(IdentityKind.PHONE, " (555) 123-0001 ", "US"));
        assertEquals(new Identity(IdentityKind.PHONE, "+442079460000"),
                Identity.parse(IdentityKind.PHONE, "020 7946 0000", "GB"));
        assertEquals("phone \"anonymous\" is not a phone number", assertThrows(IllegalArgumentException.class,
                () -> Identity.parse(IdentityKind.PHONE, "anonymous", "US")).getMessage());
    }

    @Test
    void emailsAreTrimmedCaseFoldedAndNeedOneAt() {
        assertEquals("bob@example.com", Identity.parse(IdentityKind.EMAIL, "  Bob@Example.COM ", "US").value());
        for (String bad : new String[] {"bob", "@example.com", "bob@", "a@b@c", "bo b@example.com"}) {
            assertThrows(IllegalArgumentException.class, () -> Identity.parse(IdentityKind.EMAIL, bad, "US"), bad);
        }
        String local = "a".repeat(250);
        assertEquals("email longer than 254 characters", assertThrows(IllegalArgumentException.class,
                () -> Identity.parse(IdentityKind.EMAIL, local + "@x.io", "US")).getMessage());
    }

    @Test
    void idsAreTrimmedPrintableAsciiUpTo128() {
        assertEquals("LEAD-42", Identity.parse(IdentityKind.LEAD_REF, " LEAD-42 ", "US").value());
        assertEquals("CUST 7", Identity.parse(IdentityKind.CUSTOMER, "CUST 7", "US").value());
        assertThrows(IllegalArgumentException.class, () -> Identity.parse(IdentityKind.VISITOR, "x".repeat(129), "US"));
        assertThrows(IllegalArgumentException.class, () -> Identity.parse(IdentityKind.LEAD_REF, "caf\u00e9", "US"));
        assertEquals("lead_ref is empty", assertThrows(IllegalArgumentException.class,
                () -> Identity.parse(IdentityKind.LEAD_REF, "  ", "US")).getMessage());
    }

    @Test
    void kindsHaveWireNamesAndTheSaleMatchOrder() {
        assertEquals(IdentityKind.LEAD_REF, IdentityKind.fromWire("LEAD_REF"));
        assertEquals("customer", IdentityKind.CUSTOMER.wireName());
        assertThrows(IllegalArgumentException.class, () -> IdentityKind.fromWire("fax"));
        IdentityKind[] order = {IdentityKind.LEAD_REF, IdentityKind.CUSTOMER, IdentityKind.EMAIL, IdentityKind.PHONE,
            IdentityKind.VISITOR};
        for (int i = 1; i < order.length; i++) {
            assertEquals(true, order[i - 1].matchRank() < order[i].matchRank());
        }
    }
}
