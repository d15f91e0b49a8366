package org.callrouter.routing.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place where settings that depend on each other are checked; each message gives
 * both values ({@code t1_ms=5000 must be <= t2_ms=4000}).
 */
final class ConfigValidator {

    private final Problems problems;
    private final Locations locations;

    ConfigValidator(Problems problems, Locations locations) {
        this.problems = problems;
        this.locations = locations;
    }

    void validate(ServerSettings server, List<SourceConfig> sources, List<HandlerConfig> handlers,
                  List<NumberConfig> numbers, List<CampaignConfig> campaigns, ModelReader model) {
        sipTimers(server.sip());
        listenAddresses(server);
        ServerSettings.Overload overload = server.sip().overload();
        if (overload.maxPendingInvites() > overload.maxActiveCalls()) {
            error("server.sip.overload.max_pending_invites", "max_pending_invites=" + overload.maxPendingInvites()
                    + " must be <= max_active_calls=" + overload.maxActiveCalls());
        }
        ServerSettings.WebhookDelivery delivery = server.webhookDelivery();
        if (delivery.initialBackoffMs() > delivery.maxBackoffMs()) {
            error("server.webhook_delivery.initial_backoff_ms", "initial_backoff_ms=" + delivery.initialBackoffMs()
                    + " must be <= max_backoff_ms=" + delivery.maxBackoffMs());
        }
        int maxDuration = server.sip().maxCallDurationSeconds();
        for (HandlerConfig handler : handlers) {
            if (handler.timeoutSeconds() >= maxDuration) {
                error(model.pathOf(handler) + ".timeout_seconds", "timeout_seconds=" + handler.timeoutSeconds()
                        + " must be < server.sip.max_call_duration_seconds=" + maxDuration);
            }
        }
        tls(server.sip(), handlers, model);
        staticNumberCaps(sources, numbers, model);
        pools(server, campaigns);
    }

    /** A campaign's {@code callback.trunk} names a trunk of {@code trunks:}. */
    void callbackTrunks(List<CampaignConfig> campaigns, List<TrunkConfig> trunks, ModelReader model) {
        Set<String> ids = new LinkedHashSet<>();
        trunks.forEach(t -> ids.add(t.id()));
        for (CampaignConfig campaign : campaigns) {
            CallbackConfig callback = campaign.callback();
            if (callback != null && callback.trunk() != null && !ids.contains(callback.trunk())) {
                error(model.pathOf(callback) + ".trunk", "unknown trunk \"" + callback.trunk() + "\" ("
                        + (ids.isEmpty() ? "no trunks are defined" : "defined: " + String.join(", ", ids)) + ")");
            }
        }
    }

    /**
     * The sessions store keeps at most one session per pool number, so every pool's numbers
     * together must fit it; the tracking listener must not take the admin API's port.
     */
    private void pools(ServerSettings server, List<CampaignConfig> campaigns) {
        long numbers = 0;
        for (CampaignConfig campaign : campaigns) {
            for (PoolConfig pool : campaign.pools()) {
                numbers += pool.numbers().size();
            }
        }
        if (numbers > server.stores().maxSessions()) {
            error("server.stores.max_sessions", "the pools have " + numbers + " numbers together but max_sessions="
                    + server.stores().maxSessions() + " (one session per pool number is kept)");
        }
        HostPort tracking = server.tracking().listen();
        if (tracking == null || tracking.port() == 0) {
            return;
        }
        HostPort admin = server.admin().listen();
        if (sameSocket(tracking, admin)) {
            error("server.tracking.listen", tracking + " clashes with server.admin.listen=" + admin
                    + "; the public tracking listener must be apart from the admin API");
        }
        for (ListenAddress sip : server.sip().listen()) {
            if (sip.transport() != ListenAddress.Transport.UDP && sameSocket(tracking, sip.address())) {
                error("server.tracking.listen", tracking + " clashes with server.sip.listen " + sip);
            }
        }
    }

    /** Whether two TCP listeners would take the same port (the same host, or either a wildcard). */
    private static boolean sameSocket(HostPort a, HostPort b) {
        return a.port() == b.port() && (a.host().equals(b.host()) || isWildcard(a.host()) || isWildcard(b.host()));
    }

    /**
     * SIP over TLS needs both halves: a {@code tls:} socket (a handler sends its in-dialog
     * requests to the router's {@code sips:} Contact) and the certificate in {@code server.sip.tls}.
     * A {@code sips:} or {@code ;transport=tls} handler without them would be refused at every
     * call, so it is refused here instead.
     */
    private void tls(ServerSettings.Sip sip, List<HandlerConfig> handlers, ModelReader model) {
        int tlsSocket = -1;
        for (int i = 0; i < sip.listen().size() && tlsSocket < 0; i++) {
            if (sip.listen().get(i).transport() == ListenAddress.Transport.TLS) {
                tlsSocket = i;
            }
        }
        boolean configured = sip.tls() != null;
        if (tlsSocket >= 0 && !configured) {
            error("server.sip.listen[" + tlsSocket + "]", sip.listen().get(tlsSocket)
                    + " needs server.sip.tls { certificate, private_key }");
        }
        if (tlsSocket < 0 && configured) {
            error("server.sip.tls", "is set but server.sip.listen has no tls: address such as tls:127.0.0.1:5061");
        }
        for (HandlerConfig handler : handlers) {
            if (overTls(handler.uri()) && (tlsSocket < 0 || !configured)) {
                error(model.pathOf(handler) + ".uri", "'" + handler.uri() + "' is reached over TLS: add a tls: "
                        + "address to server.sip.listen and server.sip.tls { certificate, private_key }");
            }
        }
    }

    private void sipTimers(ServerSettings.Sip sip) {
        if (sip.t1Ms() > sip.t2Ms()) {
            error("server.sip.t1_ms", "t1_ms=" + sip.t1Ms() + " must be <= t2_ms=" + sip.t2Ms());
        }
    }

    private void listenAddresses(ServerSettings server) {
        Set<String> seen = new HashSet<>();
        List<ListenAddress> listen = server.sip().listen();
        for (int i = 0; i < listen.size(); i++) {
            ListenAddress address = listen.get(i);
            if (!seen.add(address.toString())) {
                error("server.sip.listen[" + i + "]", address + " is listed twice");
            }
            HostPort admin = server.admin().listen();
            if (address.transport() != ListenAddress.Transport.UDP && address.address().port() != 0
                    && address.address().port() == admin.port()
                    && (address.address().host().equals(admin.host()) || isWildcard(admin.host())
                        || isWildcard(address.address().host()))) {
                error("server.sip.listen[" + i + "]", address + " clashes with server.admin.listen=" + admin);
            }
        }
    }

    /** {@code sips:} (RFC 3261 26.2) or the {@code transport=tls} parameter many peers still use. */
    static boolean overTls(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sips:")) {
            return true;
        }
        int headers = lower.indexOf('?');
        String params = headers >= 0 ? lower.substring(0, headers) : lower;
        for (String param : params.split(";")) {
            if (param.trim().equals("transport=tls")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }

    private void staticNumberCaps(List<SourceConfig> sources, List<NumberConfig> numbers, ModelReader model) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, SourceConfig> byId = new HashMap<>();
        sources.forEach(s -> byId.put(s.id(), s));
        for (NumberConfig number : numbers) {
            SourceConfig source = byId.get(number.source());
            int count = counts.merge(number.source(), 1, Integer::sum);
            if (source != null && source.staticNumberCap() != SourceConfig.NO_CAP && count == source.staticNumberCap() + 1) {
                error(model.pathOf(number) + ".source", "source \"" + source.id() + "\" has static_number_cap="
                        + source.staticNumberCap() + " but this is its number " + count);
            }
        }
    }

    private void error(String path, String message) {
        problems.add(locations.mark(path), path, message);
    }
}
