package org.callrouter.routing.config;

import java.util.Objects;

/**
 * An outbound SIP trunk ({@code trunks[]}) the router places calls through: lost-call callbacks
 * reach the customer this way. Its password never appears in {@link #toString()}, in errors or
 * in logs.
 *
 * @param id                 the name campaigns and metrics use
 * @param uri                {@code sip:} or {@code sips:} URI of the trunk's proxy; the customer's
 *                           number becomes its user part
 * @param username           digest username; null when the trunk does not authenticate us
 * @param password           digest password ({@code password_env} or {@code password_file}); null
 *                           exactly when {@code username} is
 * @param callerId           the E.164 number the customer sees ({@code +15551230000})
 * @param maxConcurrent      most calls up or being set up through the trunk at once
 * @param ringTimeoutSeconds how long the customer may ring (at most {@value #MAX_RING_TIMEOUT_SECONDS}:
 *                           the answered handler waits for our ACK meanwhile, RFC 3261 13.3.1.4)
 */
public record TrunkConfig(String id, String uri, String username, String password, String callerId,
                          int maxConcurrent, int ringTimeoutSeconds) {

    /** The answered handler retransmits its 2xx for 64*T1 = 32 s before giving up on our ACK. */
    public static final int MAX_RING_TIMEOUT_SECONDS = 30;

    public TrunkConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(callerId, "callerId");
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("username and password go together");
        }
    }

    /** Whether the trunk has credentials to answer a digest challenge with. */
    public boolean authenticates() {
        return username != null;
    }

    @Override
    public String toString() {
        return "TrunkConfig[" + id + ", " + uri + ", username=" + username + ", callerId=" + callerId
                + ", maxConcurrent=" + maxConcurrent + ", ringTimeoutSeconds=" + ringTimeoutSeconds + "]";
    }
}
