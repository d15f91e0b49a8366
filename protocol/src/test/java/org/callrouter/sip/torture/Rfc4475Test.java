package org.callrouter.sip.torture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.callrouter.sip.codec.SipParseException;
import org.callrouter.sip.codec.SipParser;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.validate.Rejection;
import org.callrouter.sip.validate.RequestValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every RFC 4475 message gets the verdict of {@link Rfc4475}. */
class Rfc4475Test {

    private static final RequestValidator VALIDATOR = RequestValidator.defaults();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Rfc4475.class)
    void verdict(Rfc4475 torture) {
        byte[] bytes = torture.bytes();
        int status;
        String reason;
        try {
            SipMessage message = SipParser.parse(bytes, 0, bytes.length);
            Rejection rejection = message instanceof SipRequest ? VALIDATOR.validate((SipRequest) message) : null;
            status = rejection == null ? 0 : rejection.status();
            reason = rejection == null ? "valid" : rejection.reason();
        } catch (SipParseException e) {
            status = e.status();
            reason = e.reason();
        }
        assertEquals(torture.status(), status, torture.file() + " (RFC 4475 " + torture.section() + "): " + reason);
        assertNotNull(reason);
    }
}
