package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SignatureTest {

    /** RFC 4231 4.3, test case 2: HMAC-SHA-256 of "what do ya want for nothing?" keyed "Jefe". */
    @Test
    void matchesTheRfc4231Vector() {
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Signature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
    }
}
