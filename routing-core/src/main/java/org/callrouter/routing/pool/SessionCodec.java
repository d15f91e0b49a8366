package org.callrouter.routing.pool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A session's bytes in the sessions store. The first byte is the format's version. */
final class SessionCodec {

    private static final int VERSION = 1;

    private SessionCodec() {
    }

    static byte[] encode(Session s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(s.poolId);
            out.writeLong(s.number);
            text(out, s.address);
            out.writeLong(s.createdAtMs);
            out.writeLong(s.leaseEndMs);
            out.writeBoolean(s.released);
            SessionRequest r = s.request;
            for (String value : new String[] {r.pageUrl(), r.referrer(), r.utmSource(), r.utmMedium(), r.utmCampaign(),
                r.utmTerm(), r.utmContent(), r.gclid(), r.gbraid(), r.wbraid(), r.fbclid(), r.msclkid(),
                r.gaClientId(), r.salesCode()}) {
                text(out, value);
            }
            list(out, r.references());
            out.writeShort(r.tags().size());
            for (Map.Entry<String, String> tag : r.tags().entrySet()) {
                out.writeUTF(tag.getKey());
                out.writeUTF(tag.getValue());
            }
            list(out, List.copyOf(s.pagePath));
        } catch (IOException e) {
            throw new UncheckedIOException("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The session stored under an id.
     *
     * @throws IOException when the bytes are not a session of this format
     */
    static Session decode(long high, long low, byte[] value) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("unknown session format " + version);
            }
            String pool = in.readUTF();
            long number = in.readLong();
            String address = text(in);
            long created = in.readLong();
            long leaseEnd = in.readLong();
            boolean released = in.readBoolean();
            String[] v = new String[14];
            for (int i = 0; i < v.length; i++) {
                v[i] = text(in);
            }
            List<String> references = list(in);
            int tagCount = in.readUnsignedShort();
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < tagCount; i++) {
                tags.put(in.readUTF(), in.readUTF());
            }
            List<String> pagePath = list(in);
            SessionRequest request = new SessionRequest(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
                    v[10], v[11], v[12], v[13], references, tags);
            Session s = new Session(high, low, pool, number, address, created, request);
            s.leaseEndMs = leaseEnd;
            s.storedLeaseEndMs = leaseEnd;
            s.released = released;
            pagePath.forEach(s::pageView);
            return s;
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String text(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void list(DataOutputStream out, List<String> values) throws IOException {
        out.writeShort(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private static List<String> list(DataInputStream in) throws IOException {
        int size = in.readUnsignedShort();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.readUTF());
        }
        return values;
    }
}
