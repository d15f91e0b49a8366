package org.callrouter.server.recovery;

import java.util.Map;

/**
 * An answered call as the live-call store keeps it: enough to write its record and to hang
 * up both legs after the process that held it died. Times are wall-clock epoch milliseconds.
 *
 * @param id         the record id.
 * @param key        the postback key.
 * @param campaign   the campaign id (null when none).
 * @param source     the source id (null when none).
 * @param handler    the handler that answered.
 * @param caller     the caller's number as routed.
 * @param dialed     the dialed number as routed.
 * @param tags       the call's tags.
 * @param receivedMs when the carrier's INVITE arrived.
 * @param answeredMs when the handler answered.
 * @param carrier    the carrier's dialog (we are its UAS).
 * @param handlerLeg the handler's dialog (we are its UAC).
 */
public record LiveCall(String id, String key, String campaign, String source, String handler, String caller,
                       String dialed, Map<String, String> tags, long receivedMs, long answeredMs,
                       LiveLeg carrier, LiveLeg handlerLeg) {

    public LiveCall {
        tags = Map.copyOf(tags);
    }
}
