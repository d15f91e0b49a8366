package org.callrouter.server.transaction;

/**
 * What the transaction user answers to a request it does not admit ({@link
 * TransactionUser#admit}): the status, its reason phrase and the {@code Reason} header value
 * (RFC 3326) saying why. The layer answers it without a transaction.
 *
 * @param status       the final status (403, 481...).
 * @param phrase       the reason phrase of the status line.
 * @param reasonHeader the Reason header value.
 */
public record Refusal(int status, String phrase, String reasonHeader) {
}
