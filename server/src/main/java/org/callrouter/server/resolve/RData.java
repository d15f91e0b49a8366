package org.callrouter.server.resolve;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;

/**
 * Reads the RDATA of SRV (RFC 2782) and NAPTR (RFC 3403) records, which Netty hands over raw.
 * Both RFCs forbid name compression in these fields, so a compression pointer is refused.
 */
final class RData {

    private RData() {
    }

    /** @throws IllegalArgumentException when the data is cut short or malformed */
    static SrvRecord srv(DnsRecord record) {
        final ByteBuf in = content(record);
        if (in.readableBytes() < 7) {
            throw new IllegalArgumentException("SRV record of " + in.readableBytes() + " bytes");
        }
        final int priority = in.readUnsignedShort();
        final int weight = in.readUnsignedShort();
        final int port = in.readUnsignedShort();
        return new SrvRecord(priority, weight, port, name(in), record.timeToLive());
    }

    /** @throws IllegalArgumentException when the data is cut short or malformed */
    static NaptrRecord naptr(DnsRecord record) {
        final ByteBuf in = content(record);
        if (in.readableBytes() < 8) {
            throw new IllegalArgumentException("NAPTR record of " + in.readableBytes() + " bytes");
        }
        final int order = in.readUnsignedShort();
        final int preference = in.readUnsignedShort();
        final String flags = characterString(in);
        final String service = characterString(in);
        characterString(in);
        return new NaptrRecord(order, preference, flags, service, name(in), record.timeToLive());
    }

    private static ByteBuf content(DnsRecord record) {
        if (!(record instanceof DnsRawRecord raw)) {
            throw new IllegalArgumentException("not a raw record: " + record);
        }
        return raw.content().duplicate();
    }

    /** RFC 1035 3.3 character-string: a length byte and that many bytes. */
    private static String characterString(ByteBuf in) {
        if (!in.isReadable()) {
            throw new IllegalArgumentException("character-string missing");
        }
        final int length = in.readUnsignedByte();
        if (in.readableBytes() < length) {
            throw new IllegalArgumentException("character-string of " + length + " bytes cut short");
        }
        return in.readCharSequence(length, StandardCharsets.US_ASCII).toString();
    }

    /** An uncompressed domain name, without the trailing dot ("" for the root). */
    private static String name(ByteBuf in) {
        final StringBuilder name = new StringBuilder();
        while (true) {
            if (!in.isReadable()) {
                throw new IllegalArgumentException("domain name cut short");
            }
            final int length = in.readUnsignedByte();
            if (length == 0) {
                return name.toString();
            }
            if ((length & 0xC0) != 0) {
                throw new IllegalArgumentException("compressed domain name (RFC 2782 and RFC 3403 forbid it)");
            }
            if (in.readableBytes() < length) {
                throw new IllegalArgumentException("domain name label cut short");
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(in.readCharSequence(length, StandardCharsets.US_ASCII));
        }
    }
}
