package org.callrouter.server.b2bua;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callrouter.routing.config.ServerSettings;

/**
 * What the B2BUA reads from {@code server.sip} and {@code server.sip.overload}.
 *
 * @param sip               the whole {@code server.sip} section (trusted sources, tags...).
 * @param dialedNumberFrom  where the dialed number is read, in order: {@code request_uri}, {@code to}.
 * @param headerTags        carrier header name to call tag name.
 * @param noHandlerStatus   final answer when every handler failed (default 480).
 * @param maxCallDurationMs answered calls are hung up after this long.
 * @param maxActiveCalls    calls in progress beyond which new INVITEs get 503.
 * @param maxPendingInvites calls not yet answered beyond which new INVITEs get 503.
 * @param retryAfterSeconds the Retry-After of those 503s.
 * @param offeredSessionExpires the Session-Expires of our INVITEs to handlers (RFC 4028), written once.
 * @param offeredMinSe      the Min-SE of our INVITEs to handlers, written once.
 */
public record B2buaSettings(ServerSettings.Sip sip, List<String> dialedNumberFrom, Map<String, String> headerTags,
                            int noHandlerStatus, long maxCallDurationMs, int maxActiveCalls,
                            int maxPendingInvites, int retryAfterSeconds, String offeredSessionExpires,
                            String offeredMinSe) {

    /** Reads the settings from the configuration's {@code server.sip} section. */
    public static B2buaSettings of(ServerSettings.Sip sip) {
        return new B2buaSettings(sip,
                sip.dialedNumberFrom().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList(),
                sip.headerTags(),
                sip.noHandlerStatus(),
                sip.maxCallDurationSeconds() * 1000L,
                sip.overload().maxActiveCalls(),
                sip.overload().maxPendingInvites(),
                sip.overload().retryAfterSeconds(),
                Integer.toString(sip.sessionTimer().sessionExpiresSeconds()),
                Integer.toString(sip.sessionTimer().minSeSeconds()));
    }

    /** {@code server.sip.session_timer} (RFC 4028). */
    ServerSettings.SessionTimer sessionTimer() {
        return sip.sessionTimer();
    }

    /** Whether {@code server.sip.reliable_provisionals} is {@code supported} (RFC 3262). */
    boolean reliableProvisionals() {
        return sip.reliableProvisionals() == ServerSettings.ReliableProvisionals.SUPPORTED;
    }

    /** True when {@code address} (4 or 16 bytes) may send INVITEs. */
    boolean trusts(byte[] address) {
        return sip.isTrusted(address);
    }
}
