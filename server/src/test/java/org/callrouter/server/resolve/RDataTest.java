package org.callrouter.server.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import org.junit.jupiter.api.Test;

/** SRV (RFC 2782) and NAPTR (RFC 3403) RDATA as the wire has it. */
class RDataTest {

    private static DefaultDnsRawRecord record(DnsRecordType type, int... bytes) {
        final ByteBuf content = Unpooled.buffer();
        for (int b : bytes) {
            content.writeByte(b);
        }
        return new DefaultDnsRawRecord("x.test.", type, 42, content);
    }

    @Test
    void srv() {
        final DefaultDnsRawRecord r = record(DnsRecordType.SRV, 0, 10, 0, 5, 0x13, 0xC4, 1, 'a', 4, 't', 'e', 's', 't', 0);
        try {
            assertEquals(new SrvRecord(10, 5, 5060, "a.test", 42), RData.srv(r));
        } finally {
            r.release();
        }
    }

    @Test
    void naptr() {
        final DefaultDnsRawRecord r = record(DnsRecordType.NAPTR, 0, 10, 0, 20, 1, 's', 7, 'S', 'I', 'P', '+', 'D', '2',
                'T', 0, 4, '_', 's', 'i', 'p', 1, 'a', 0);
        try {
            assertEquals(new NaptrRecord(10, 20, "s", "SIP+D2T", "_sip.a", 42), RData.naptr(r));
        } finally {
            r.release();
        }
    }

    @Test
    void compressedOrShortDataIsRefused() {
        final DefaultDnsRawRecord compressed = record(DnsRecordType.SRV, 0, 10, 0, 5, 0x13, 0xC4, 0xC0, 12);
        final DefaultDnsRawRecord shortName = record(DnsRecordType.SRV, 0, 10, 0, 5, 0x13, 0xC4, 5, 'a');
        final DefaultDnsRawRecord shortNaptr = record(DnsRecordType.NAPTR, 0, 10, 0, 20, 9, 's');
        try {
            assertEquals("compressed domain name (RFC 2782 and RFC 3403 forbid it)",
                    assertThrows(IllegalArgumentException.class, () -> RData.srv(compressed)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> RData.srv(shortName));
            assertThrows(IllegalArgumentException.class, () -> RData.naptr(shortNaptr));
        } finally {
            compressed.release();
            shortName.release();
            shortNaptr.release();
        }
    }
}
