package org.callrouter.routing;

/**
 * A handler to try for a call, with what the server needs to send the B leg.
 *
 * @param handlerId      the handler's id
 * @param uri            SIP URI of the B leg
 * @param timeoutSeconds ring time before failover
 * @param sendDigits     DTMF to send after answer ({@code w} = 0.5 s pause); "" = none
 * @param priority       the priority it was ordered by (the campaign's, else the handler's)
 * @param weight         its weight within the priority
 */
public record Candidate(String handlerId, String uri, int timeoutSeconds, String sendDigits, int priority, int weight) {
}
