package org.callrouter.server.callback;

import java.util.Map;

/**
 * One callback try to place.
 *
 * @param callbackId the callback's id (the schedule's key), copied into the call record
 * @param lostCallId the id of the lost call this calls back, copied into the record's {@code callback_of}
 * @param attempt    1 for the first try, copied into the record's {@code callback_attempt}
 * @param campaign   the lost call's campaign, whose routing decision picks the handler
 * @param dialed     the tracked number the customer had called, E.164
 * @param customer   the customer to call back, E.164
 * @param trunk      the id of the outbound trunk (config {@code trunks:}) to call the customer through
 * @param tags       the lost call's tags
 */
public record CallbackRequest(String callbackId, String lostCallId, int attempt,
        String campaign, String dialed, String customer, String trunk, Map<String, String> tags) {
    public CallbackRequest {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
