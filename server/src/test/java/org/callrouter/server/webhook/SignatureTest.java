package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SignatureTest {

    private static final byte[] BODY = "{\"event\":\"ended\"}".getBytes(StandardCharsets.UTF_8);
    private static final long T = 1_767_225_600L;

    /** The expected value is Python's {@code hmac.new(b"Jefe", b"1767225600." + body, hashlib.sha256)}. */
    @Test
    void signsTheTimestampWithTheBody() {
        assertEquals("t=1767225600,v1=c5caeb86785da1bb4bf6e1446ae03ea84532d540534c829e7338ba9a3c4f471e",
                Signature.sign("Jefe", T, BODY));
    }

    @Test
    void aReplayOutsideTheToleranceOrWithAnotherTimestampFails() {
        final String header = Signature.sign("s3cret", T, BODY);
        assertTrue(Signature.verify("s3cret", header, BODY, T));
        assertTrue(Signature.verify("s3cret", header, BODY, T + Signature.TOLERANCE_SECONDS));
        assertFalse(Signature.verify("s3cret", header, BODY, T + Signature.TOLERANCE_SECONDS + 1), "a late replay");
        final String moved = header.replace("t=" + T, "t=" + (T + 600));
        assertFalse(Signature.verify("s3cret", moved, BODY, T + 600), "a replay with a new timestamp");
        assertFalse(Signature.verify("other", header, BODY, T));
        assertFalse(Signature.verify("s3cret", header, "{}".getBytes(StandardCharsets.UTF_8), T));
        assertFalse(Signature.verify("s3cret", "v1=00", BODY, T));
        assertFalse(Signature.verify("s3cret", null, BODY, T), "an unsigned request");
        assertFalse(Signature.verify("s3cret", "t=99999999999999999999999,v1=00", BODY, T));
    }
}
