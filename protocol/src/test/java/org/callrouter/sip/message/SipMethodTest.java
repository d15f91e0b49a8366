package org.callrouter.sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SipMethodTest {

    @Test
    void knownMethodsAreCachedConstants() {
        for (SipMethod m : new SipMethod[] {SipMethod.INVITE, SipMethod.ACK, SipMethod.BYE, SipMethod.CANCEL,
            SipMethod.OPTIONS, SipMethod.INFO, SipMethod.UPDATE, SipMethod.REGISTER, SipMethod.PRACK,
            SipMethod.SUBSCRIBE, SipMethod.NOTIFY, SipMethod.REFER, SipMethod.MESSAGE, SipMethod.PUBLISH}) {
            assertSame(m, SipMethod.of(m.name()));
            byte[] b = m.name().getBytes(StandardCharsets.US_ASCII);
            assertSame(m, SipMethod.of(b, 0, b.length));
        }
    }

    @Test
    void methodsAreCaseSensitiveAndOpen() {
        SipMethod lower = SipMethod.of("invite");
        assertNotEquals(SipMethod.INVITE, lower);
        byte[] b = "invite".getBytes(StandardCharsets.US_ASCII);
        assertNull(SipMethod.lookup(b, 0, b.length));
        SipMethod custom = SipMethod.of("NEWMETHOD");
        assertEquals(SipMethod.of("NEWMETHOD"), custom);
        assertEquals("NEWMETHOD", custom.toString());
        assertThrows(IllegalArgumentException.class, () -> SipMethod.of("BAD METHOD"));
        assertThrows(IllegalArgumentException.class, () -> SipMethod.of(""));
    }
}
