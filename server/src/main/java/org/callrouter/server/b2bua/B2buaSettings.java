package org.callrouter.server.b2bua;

import java.util.List;
import java.util.Map;

/**
 * What the B2BUA reads from {@code server.sip} and {@code server.sip.overload}.
 *
 * @param dialedNumberFrom  where the dialed number is read, in order: {@code request_uri}, {@code to}.
 * @param headerTags        carrier header name (case-insensitive) to call tag name.
 * @param noHandlerStatus   final answer when every handler failed (default 480).
 * @param maxCallDurationMs answered calls are hung up after this long.
 * @param maxActiveCalls    calls in progress beyond which new INVITEs get 503.
 * @param maxPendingInvites calls not yet answered beyond which new INVITEs get 503.
 * @param retryAfterSeconds the Retry-After of those 503s.
 * @param trusted           who may send INVITEs.
 */
public record B2buaSettings(List<String> dialedNumberFrom, Map<String, String> headerTags, int noHandlerStatus,
                            long maxCallDurationMs, int maxActiveCalls, int maxPendingInvites,
                            int retryAfterSeconds, TrustedSources trusted) {
}
