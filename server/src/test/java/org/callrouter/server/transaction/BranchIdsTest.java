package org.callrouter.server.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The identifiers and call keys the router mints, and the generator behind them. */
class BranchIdsTest {

    @Test
    void theBufferHandsOutTheSecureRandomsStreamUnchangedAcrossRefills() throws Exception {
        // SHA1PRNG seeded before its first use is deterministic: two of them give the same stream.
        final SecureRandom reference = SecureRandom.getInstance("SHA1PRNG");
        reference.setSeed(42L);
        final SecureRandom drawn = SecureRandom.getInstance("SHA1PRNG");
        drawn.setSeed(42L);
        final SecureRandomBuffer buffer = new SecureRandomBuffer(drawn);
        final int longs = 3 * SecureRandomBuffer.BUFFER_BYTES / Long.BYTES + 5;
        final byte[] expected = new byte[SecureRandomBuffer.BUFFER_BYTES];
        ByteBuffer view = ByteBuffer.wrap(expected);
        view.position(expected.length);
        for (int i = 0; i < longs; i++) {
            if (!view.hasRemaining()) {
                reference.nextBytes(expected);
                view = ByteBuffer.wrap(expected);
            }
            assertEquals(view.getLong(), buffer.nextLong(), "long " + i);
        }
    }

    @Test
    void theDefaultGeneratorIsTheJdksDrbg() {
        assertEquals("DRBG", SecureRandomBuffer.drbg().random().getAlgorithm());
    }

    @Test
    void callKeysAre128BitsInHexAndNeverRepeat() {
        final Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            final String key = BranchIds.callKey();
            assertTrue(key.matches("[0-9a-f]{32}"), key);
            assertTrue(keys.add(key), "key " + key + " repeated after " + i);
        }
    }

    @Test
    void callKeysAreTwoDrawsOfTheSecureGenerator() throws Exception {
        final SecureRandom reference = SecureRandom.getInstance("SHA1PRNG");
        reference.setSeed(7L);
        final SecureRandom drawn = SecureRandom.getInstance("SHA1PRNG");
        drawn.setSeed(7L);
        final byte[] bytes = new byte[SecureRandomBuffer.BUFFER_BYTES];
        reference.nextBytes(bytes);
        final ByteBuffer view = ByteBuffer.wrap(bytes);
        assertEquals(BranchIds.hex(view.getLong()) + BranchIds.hex(view.getLong()),
                BranchIds.callKey(new SecureRandomBuffer(drawn)));
    }

    @Test
    void tagsBranchesAndCallIdsAre64RandomBits() {
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            final String tag = BranchIds.tag();
            final String part = BranchIds.callIdPart();
            final String branch = BranchIds.branch();
            assertTrue(tag.matches("[0-9a-f]{16}"), tag);
            assertTrue(part.matches("[0-9a-f]{16}"), part);
            assertTrue(branch.matches("z9hG4bK[0-9a-f]{16}"), branch);
            assertTrue(seen.add(tag) && seen.add(part) && seen.add(branch.substring(7)), "a value repeated");
        }
    }
}
