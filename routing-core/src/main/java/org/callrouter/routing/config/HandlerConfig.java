package org.callrouter.routing.config;

import java.time.ZoneId;
import java.util.List;

import org.callrouter.routing.criteria.Criterion;

/**
 * A handler: a buyer, call centre or sales line calls are sent to.
 *
 * @param id             unique id
 * @param name           display name (optional)
 * @param buyerId        {@code buyer_id}: the buyer's own reference (optional)
 * @param uri            SIP URI the B leg is sent to
 * @param timeoutSeconds {@code timeout_seconds} [30]: ring time before failover
 * @param sendDigits     {@code send_digits}: DTMF after answer, {@code w} = 0.5 s pause; "" = none
 * @param priority       [1]: lower is tried first
 * @param weight         [1]: share within its priority
 * @param timeZone       {@code time_zone} [UTC]: for business hours and cap windows
 * @param businessHours  {@code business_hours}: empty = always open
 * @param caps           caps and their trigger
 * @param criteria       all must hold for a call to be sent here
 * @param enabled        [true]
 * @param conversion     revenue-side rule overriding the campaign's; {@code null} = none
 */
public record HandlerConfig(String id, String name, String buyerId, String uri, int timeoutSeconds, String sendDigits,
                            int priority, int weight, ZoneId timeZone, List<HoursRange> businessHours, Caps caps,
                            List<Criterion> criteria, boolean enabled, ConversionRule conversion) {

    public HandlerConfig {
        businessHours = List.copyOf(businessHours);
        criteria = List.copyOf(criteria);
    }
}
