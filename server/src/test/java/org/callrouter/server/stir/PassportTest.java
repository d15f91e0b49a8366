package org.callrouter.server.stir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.callrouter.routing.CallContext;
import org.junit.jupiter.api.Test;

/** {@link Passport}: SHAKEN claims into tags, and each check that makes a PASSporT bad. */
class PassportTest {

    private static final long NOW_MS = 1_800_000_000_000L;
    private static final TestPassports SIGNER = TestPassports.newKey("https://127.0.0.1:1/cert.pem");

    private static Map<String, String> tags(Passport passport, boolean verified, String reason, boolean invalid) {
        final CallContext.Builder context = CallContext.builder();
        passport.tags(context, verified, reason, invalid);
        return context.build().tags();
    }

    private static Passport read(String header) {
        return Passport.select(List.of(header), NOW_MS, 60, "+14155550111", "18005550100");
    }

    @Test
    void aShakenPassportBecomesTags() {
        final Passport passport = read(SIGNER.identity("A", "14155550111", "18005550100", NOW_MS / 1000 - 5));
        assertTrue(passport.verifiable(), passport::error);
        final Map<String, String> tags = tags(passport, true, null, false);
        assertEquals("A", tags.get("attestation"));
        assertEquals("true", tags.get("attestation_verified"));
        assertEquals("14155550111", tags.get("attestation_orig"));
        assertEquals("18005550100", tags.get("attestation_dest"));
        assertEquals(Long.toString(NOW_MS / 1000 - 5), tags.get("attestation_iat"));
        assertEquals(TestPassports.ORIGID, tags.get("attestation_origid"));
        assertNull(tags.get("attestation_error"));
        assertEquals("false", tags(passport, false, "not verified within 200 ms", false).get("attestation_verified"));
        assertEquals("A", tags(passport, false, "not verified within 200 ms", false).get("attestation"),
                "unknown is not bad: the claim stays");
        assertNull(tags(passport, false, "signature does not verify", true).get("attestation"), "a bad one loses it");
    }

    @Test
    void badPassportsSayWhyAndHaveNoAttestation() {
        assertBad(read("not.a-jwt;info=<https://x/c.pem>"), "malformed PASSporT");
        assertBad(read("abc..def;info=<https://x/c.pem>"), "compact form");
        assertBad(read(SIGNER.identity("A", "14155550111", "18005550100", NOW_MS / 1000 - 61)),
                "stale: iat is 61 s old (more than 60)");
        assertBad(read(SIGNER.identity("A", "14155550111", "18005550100", NOW_MS / 1000 + 120)), "in the future");
        assertBad(read(SIGNER.identity("D", "14155550111", "18005550100", NOW_MS / 1000)), "attest D is not A, B or C");
        assertBad(read(SIGNER.identity("A", "12125550000", "18005550100", NOW_MS / 1000)),
                "orig.tn 12125550000 is not the caller +14155550111");
        assertBad(read(TestPassports.hs256Identity("https://127.0.0.1:1/cert.pem", NOW_MS / 1000)), "alg HS256 is not ES256");
        assertBad(read(TestPassports.newKey("http://127.0.0.1:1/cert.pem")
                .identity("A", "14155550111", "18005550100", NOW_MS / 1000)), "is not an https URL");
    }

    private static void assertBad(Passport passport, String why) {
        assertFalse(passport.verifiable());
        final Map<String, String> tags = tags(passport, false, null, false);
        assertTrue(tags.get("attestation_error").contains(why), tags.get("attestation_error"));
        assertNull(tags.get("attestation"));
        assertEquals("false", tags.get("attestation_verified"));
    }

    @Test
    void anAnonymousCallerHasNoNumberToCompare() {
        final Passport passport = Passport.select(List.of(SIGNER.identity("A", "14155550111", "18005550100",
                NOW_MS / 1000)), NOW_MS, 60, "anonymous", "18005550100");
        assertTrue(passport.verifiable(), passport::error);
    }

    @Test
    void theShakenOneIsChosenAmongSeveral() {
        final String div = TestPassports.divIdentity("https://127.0.0.1:1/cert.pem", NOW_MS / 1000);
        final String shaken = SIGNER.identity("B", "14155550111", "18005550100", NOW_MS / 1000);
        final Passport passport = Passport.select(List.of(div, shaken), NOW_MS, 60, "+14155550111", "18005550100");
        assertEquals("B", tags(passport, false, null, false).get("attestation"));
    }

    @Test
    void numbersCompareByDigitsAndNationalForm() {
        assertTrue(Passport.sameNumber("+1 (415) 555-0111", "14155550111"));
        assertTrue(Passport.sameNumber("4155550111", "14155550111"));
        assertFalse(Passport.sameNumber("5550111", "14155550111"));
        assertFalse(Passport.sameNumber("", "14155550111"));
    }
}
