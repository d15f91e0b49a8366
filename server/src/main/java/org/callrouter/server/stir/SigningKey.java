package org.callrouter.server.stir;

import java.security.interfaces.ECPublicKey;

/**
 * What an {@code x5u} URL gave: the signing key of a certificate that chains to a trust anchor,
 * or why there is none.
 *
 * @param key     the key, or null
 * @param failure why there is no key (an {@link Verification.Outcome#INVALID} or
 *                {@link Verification.Outcome#UNKNOWN} verification), or null with a key
 */
record SigningKey(ECPublicKey key, Verification failure) {
}
