package org.callrouter.sip.codec;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.sip.message.SipRequest;
import org.callrouter.sip.validate.Rejection;
import org.callrouter.sip.validate.RequestValidator;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations (truncate, flip bits, duplicate a range, insert bytes, delete a range) of
 * valid and torture messages: parsing only ever returns a message or throws
 * {@link SipParseException}; a returned message's eagerly validated accessors never throw, it
 * passes through the validator and the editor, and the edited bytes parse again; a partial
 * message can still be answered. Set {@code -Dsip.mutation.seed=N} to replay a run. A hang
 * would fail the build through Surefire's fork timeout (see the module pom).
 */
class MutationTest {

    private static final int CASES = 100_000;
    private static final int STREAM_CASES = 5_000;
    private static final byte[] INTERESTING = {
        '\r', '\n', ' ', '\t', ':', ';', ',', '<', '>', '"', '\\', '%', '@', '[', ']', '=', '/', '?', '0', '9',
        'a', 'Z', 0, (byte) 0x7F, (byte) 0x80, (byte) 0xFF,
    };

    private static final Pattern REASON_PHRASE = Pattern.compile("[A-Za-z0-9 \\-_.!~*'():;/?@&=+$,]+");

    private final List<byte[]> seeds = CorpusFiles.all();
    private final RequestValidator validator = RequestValidator.defaults();

    @Test
    void parseReturnsAMessageOrTheTypedErrorOnly() {
        long seed = Long.getLong("sip.mutation.seed", System.nanoTime());
        System.out.println("MutationTest seed " + seed + " (replay with -Dsip.mutation.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                exercise(SipParser.parse(input, 0, input.length));
                parsed++;
            } catch (SipParseException e) {
                checkFailure(e);
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("seed " + seed + " case " + i + " threw " + e + " on " + HexFormat.of().formatHex(input), e);
            }
        }
        System.out.println("MutationTest " + CASES + " cases: " + parsed + " parsed, " + rejected + " rejected");
        assertTrue(parsed > 0 && rejected > 0, "mutations both keep and break messages");
    }

    @Test
    void streamDecoderNeverThrows() {
        long seed = Long.getLong("sip.mutation.seed", System.nanoTime());
        System.out.println("MutationTest stream seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < STREAM_CASES; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            EmbeddedChannel channel = new EmbeddedChannel(new SipStreamDecoder());
            try {
                int p = 0;
                while (p < input.length) {
                    int n = Math.min(input.length - p, 1 + random.nextInt(64));
                    channel.writeInbound(Unpooled.wrappedBuffer(input, p, n));
                    p += n;
                }
                for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
                    InboundMessage m = (InboundMessage) o;
                    if (m.isSuccess()) {
                        exercise(m.message());
                    } else {
                        checkFailure(m.failure());
                    }
                }
                channel.finishAndReleaseAll();
            } catch (RuntimeException | Error e) {
                fail("seed " + seed + " stream case " + i + " threw " + e + " on "
                        + HexFormat.of().formatHex(input), e);
            }
        }
    }

    private void exercise(SipMessage m) {
        assertNotNull(m.callId());
        assertNotNull(m.cseq());
        assertNotNull(m.topVia());
        assertTrue(!m.vias().isEmpty());
        assertNotNull(m.from());
        assertNotNull(m.to());
        m.fromTag();
        m.toTag();
        m.maxForwards();
        m.contentLength();
        m.contentType();
        m.mediaType();
        m.body();
        for (int h = 0; h < m.headerCount(); h++) {
            m.headerName(h);
            m.headerValue(h);
        }
        if (m instanceof SipRequest) {
            SipRequest request = (SipRequest) m;
            request.method();
            assertNotNull(request.requestUri());
            Rejection rejection = validator.validate(request);
            if (rejection != null) {
                assertReasonPhrase(rejection.reason());
            }
        }
        byte[] edited = SipMessageEditor.of(m).toBytes();
        SipParser.parse(edited, 0, edited.length);
    }

    /** The failure carries a usable status and reason; a partial request can be answered. */
    private static void checkFailure(SipParseException e) {
        assertTrue(e.status() >= 400 && e.status() <= 599);
        assertReasonPhrase(e.reason());
        SipMessage partial = e.partial();
        if (partial != null) {
            for (int h = 0; h < partial.headerCount(); h++) {
                partial.headerName(h);
                partial.headerValue(h);
            }
            if (partial instanceof SipRequest) {
                ByteBuf out = Unpooled.buffer();
                SipResponseBuilder.forRequest((SipRequest) partial, e.status(), e.reason()).toTag("x").encode(out);
                out.release();
            }
        }
    }

    /** A reason fit for a status line: RFC 3261 Reason-Phrase characters (reserved, unreserved, SP). */
    private static void assertReasonPhrase(String reason) {
        assertTrue(REASON_PHRASE.matcher(reason).matches(), () -> "not a reason phrase: '" + reason + "'");
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] a = original.clone();
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && a.length > 0; r++) {
            switch (random.nextInt(6)) {
                case 0 -> a = java.util.Arrays.copyOf(a, random.nextInt(a.length));
                case 1 -> a[random.nextInt(a.length)] ^= (byte) (1 << random.nextInt(8));
                case 2 -> a = duplicate(a, random);
                case 3 -> a = insert(a, random);
                case 4 -> a = delete(a, random);
                default -> a[random.nextInt(a.length)] = INTERESTING[random.nextInt(INTERESTING.length)];
            }
        }
        return a;
    }

    private static byte[] duplicate(byte[] a, SplittableRandom random) {
        int start = random.nextInt(a.length);
        int length = 1 + random.nextInt(Math.min(64, a.length - start));
        int at = random.nextInt(a.length + 1);
        return splice(a, at, java.util.Arrays.copyOfRange(a, start, start + length), 0);
    }

    private static byte[] insert(byte[] a, SplittableRandom random) {
        byte[] extra = new byte[1 + random.nextInt(4)];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = INTERESTING[random.nextInt(INTERESTING.length)];
        }
        return splice(a, random.nextInt(a.length + 1), extra, 0);
    }

    private static byte[] delete(byte[] a, SplittableRandom random) {
        int start = random.nextInt(a.length);
        int length = 1 + random.nextInt(Math.min(16, a.length - start));
        return splice(a, start, new byte[0], length);
    }

    /** {@code a} with {@code removed} bytes at {@code at} replaced by {@code inserted}. */
    private static byte[] splice(byte[] a, int at, byte[] inserted, int removed) {
        byte[] out = new byte[a.length - removed + inserted.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(a, at + removed, out, at + inserted.length, a.length - at - removed);
        return out;
    }
}
