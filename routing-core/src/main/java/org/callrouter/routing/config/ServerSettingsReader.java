package org.callrouter.routing.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.callrouter.routing.config.ServerSettings.CallerSource;
import org.callrouter.routing.config.ServerSettings.DialedNumberSource;
import org.callrouter.routing.config.YamlNode.Entry;
import org.callrouter.routing.config.YamlNode.ScalarNode;
import org.callrouter.routing.IdentityTags;
import org.callrouter.routing.criteria.BuiltinTag;

/** Reads the {@code server:} section: each setting's name, default and own range. */
final class ServerSettingsReader {

    static final String DEFAULT_DATA_DIR = "./data";
    static final List<String> DEFAULT_LISTEN = List.of("udp:127.0.0.1:5060", "tcp:127.0.0.1:5060");
    static final List<String> DEFAULT_TRUSTED = List.of("127.0.0.0/8", "::1/128");
    static final String DEFAULT_ADMIN_LISTEN = "127.0.0.1:8080";
    static final int MIN_TOKEN_LENGTH = 16;
    /** SIP worker loops, at most: more than any machine this runs on has cores. */
    static final int MAX_SIP_WORKERS = 256;

    private ServerSettingsReader() {
    }

    static ServerSettings read(MapReader server, Secrets secrets) {
        Path dataDir = path(server, "data_dir", DEFAULT_DATA_DIR);
        ServerSettings.Sip sip = sip(server.child("sip"));
        MapReader h = server.child("health");
        ServerSettings.Health health = new ServerSettings.Health(
                h.integer("probe_interval_seconds", 10, 1, 3600),
                h.integer("failure_threshold", 3, 1, 1000),
                h.integer("recovery_threshold", 1, 1, 1000),
                h.bool("enabled", true),
                h.integer("passive_failure_threshold", 0, 0, 1000));
        if (!health.enabled() && health.passiveFailureThreshold() > 0) {
            h.error("passive_failure_threshold", "passive_failure_threshold=" + health.passiveFailureThreshold()
                    + " needs enabled=true: only probes bring an unhealthy handler back");
        }
        h.finish();
        int drain = server.integer("drain_timeout_seconds", 30, 0, 86_400);
        ServerSettings.Admin admin = admin(server.child("admin"), secrets);
        ServerSettings.Records records = records(server.child("records"), dataDir);
        MapReader w = server.child("webhook_delivery");
        ServerSettings.WebhookDelivery delivery = new ServerSettings.WebhookDelivery(
                w.integer("max_attempts", 8, 1, 1000),
                w.longInteger("initial_backoff_ms", 1000, 1, 86_400_000L),
                w.longInteger("max_backoff_ms", 300_000, 1, 7 * 86_400_000L),
                w.integer("timeout_ms", 5000, 1, 600_000));
        w.finish();
        MapReader s = server.child("stores");
        ServerSettings.Stores stores = new ServerSettings.Stores(
                s.integer("max_numbers", 2_000_000, 1000, 500_000_000),
                s.integer("max_counters", 1_000_000, 1000, 100_000_000),
                s.integer("max_callers", 2_000_000, 1000, 500_000_000),
                s.integer("ready_max_fill_percent", 90, 1, 100),
                s.integer("purge_interval_seconds", 3600, 1, 7 * 86_400),
                s.integer("max_sessions", 200_000, 1000, 100_000_000));
        s.finish();
        ServerSettings.Dns dns = dns(server.child("dns"));
        ServerSettings.Tracking tracking = tracking(server.child("tracking"));
        ServerSettings.Store store = store(server.child("store"), secrets);
        server.finish();
        return new ServerSettings(dataDir, sip, health, drain, admin, records, delivery, stores, dns, tracking, store);
    }

    private static ServerSettings.Sip sip(MapReader sip) {
        List<ListenAddress> listen = new ArrayList<>();
        if (!sip.has("listen")) {
            DEFAULT_LISTEN.forEach(text -> listen.add(ListenAddress.parse(text)));
        } else {
            for (MapReader.Item item : sip.stringList("listen", "must list at least one address such as udp:127.0.0.1:5060")) {
                try {
                    listen.add(ListenAddress.parse(item.text()));
                } catch (IllegalArgumentException e) {
                    sip.problems().add(item.mark(), item.path(), e.getMessage());
                }
            }
        }
        String advertised = sip.string("advertised_host", null);
        if (advertised != null && (advertised.isBlank() || advertised.chars().anyMatch(Character::isWhitespace))) {
            sip.error("advertised_host", "must be a host name or address without spaces, got \"" + advertised + "\"");
            advertised = null;
        }
        List<Cidr> trusted = new ArrayList<>();
        if (sip.has("trusted")) {
            for (MapReader.Item item : sip.stringList("trusted", "must list at least one address block such as 127.0.0.0/8")) {
                try {
                    trusted.add(Cidr.parse(item.text()));
                } catch (IllegalArgumentException e) {
                    sip.problems().add(item.mark(), item.path(), e.getMessage());
                }
            }
        } else {
            DEFAULT_TRUSTED.forEach(text -> trusted.add(Cidr.parse(text)));
        }
        int t1 = sip.integer("t1_ms", 500, 1, 60_000);
        int t2 = sip.integer("t2_ms", 4000, 1, 600_000);
        int t4 = sip.integer("t4_ms", 5000, 1, 600_000);
        int maxMessage = sip.integer("max_message_bytes", 65536, 1500, 16 * 1024 * 1024);
        int workers = sip.integer("workers", Runtime.getRuntime().availableProcessors(), 1, MAX_SIP_WORKERS);
        List<DialedNumberSource> dialedFrom = dialedFrom(sip);
        Map<String, String> headerTags = headerTags(sip);
        int noHandler = sip.integer("no_handler_status", 480, 400, 699);
        int maxDuration = sip.integer("max_call_duration_seconds", 14_400, 1, 7 * 86_400);
        MapReader o = sip.child("overload");
        ServerSettings.Overload overload = new ServerSettings.Overload(
                o.integer("max_active_calls", 200_000, 1, 100_000_000),
                o.integer("max_pending_invites", 5000, 1, 10_000_000),
                o.integer("retry_after_seconds", 5, 0, 86_400));
        o.finish();
        ServerSettings.Tls tls = sip.has("tls") ? tls(sip.child("tls")) : null;
        MapReader c = sip.child("connections");
        ServerSettings.Connections connections = new ServerSettings.Connections(
                c.integer("max", 10_000, 1, 1_000_000),
                c.integer("max_per_address", 100, 1, 1_000_000));
        c.finish();
        ServerSettings.Identity identity = identity(sip.child("identity"), trusted);
        ServerSettings.SessionTimer sessionTimer = sessionTimer(sip.child("session_timer"));
        ServerSettings.ReliableProvisionals reliable = reliableProvisionals(sip);
        sip.finish();
        return new ServerSettings.Sip(List.copyOf(listen), advertised, List.copyOf(trusted), t1, t2, t4, maxMessage,
                dialedFrom, headerTags, noHandler, maxDuration, overload, tls, connections, identity, sessionTimer, reliable,
                workers);
    }

    /** {@code reliable_provisionals}: {@code supported} (RFC 3262 100rel) or {@code off}. */
    private static ServerSettings.ReliableProvisionals reliableProvisionals(MapReader sip) {
        String value = sip.string("reliable_provisionals", "supported");
        return switch (value) {
            case "supported" -> ServerSettings.ReliableProvisionals.SUPPORTED;
            case "off" -> ServerSettings.ReliableProvisionals.OFF;
            default -> {
                sip.error("reliable_provisionals", "must be supported or off, got \"" + value + "\"");
                yield ServerSettings.ReliableProvisionals.SUPPORTED;
            }
        };
    }

    /** RFC 4028: Min-SE is never below 90 s (section 4), and the interval offered never below Min-SE. */
    private static ServerSettings.SessionTimer sessionTimer(MapReader timer) {
        boolean enabled = timer.bool("enabled", true);
        int minSe = timer.integer("min_se_seconds", 90, 90, 86_400);
        int sessionExpires = timer.integer("session_expires_seconds", 1800, 90, 86_400);
        if (sessionExpires < minSe) {
            timer.error("session_expires_seconds", "session_expires_seconds=" + sessionExpires
                    + " must be >= min_se_seconds=" + minSe);
            sessionExpires = minSe;
        }
        timer.finish();
        return new ServerSettings.SessionTimer(enabled, sessionExpires, minSe);
    }

    private static ServerSettings.Identity identity(MapReader identity, List<Cidr> trusted) {
        List<CallerSource> callerFrom = new ArrayList<>();
        if (!identity.has("caller_from")) {
            callerFrom.add(CallerSource.FROM);
        } else {
            for (MapReader.Item item : identity.stringList("caller_from",
                    "must list p_asserted_identity, remote_party_id, from or several")) {
                CallerSource source = switch (item.text().toLowerCase(Locale.ROOT)) {
                    case "p_asserted_identity" -> CallerSource.P_ASSERTED_IDENTITY;
                    case "remote_party_id" -> CallerSource.REMOTE_PARTY_ID;
                    case "from" -> CallerSource.FROM;
                    default -> null;
                };
                if (source == null) {
                    identity.problems().add(item.mark(), item.path(),
                            "must be p_asserted_identity, remote_party_id or from, got \"" + item.text() + "\"");
                } else if (callerFrom.contains(source)) {
                    identity.problems().add(item.mark(), item.path(), "\"" + item.text() + "\" is listed twice");
                } else {
                    callerFrom.add(source);
                }
            }
        }
        List<Cidr> assertedFrom = new ArrayList<>();
        if (identity.has("asserted_from")) {
            for (MapReader.Item item : identity.stringList("asserted_from")) {
                try {
                    assertedFrom.add(Cidr.parse(item.text()));
                } catch (IllegalArgumentException e) {
                    identity.problems().add(item.mark(), item.path(), e.getMessage());
                }
            }
        } else {
            assertedFrom.addAll(trusted);
        }
        MapReader stir = identity.child("stir");
        Path trustAnchors = stir.has("trust_anchors") ? path(stir, "trust_anchors", null) : null;
        Path ca = stir.has("ca") ? path(stir, "ca", null) : null;
        ServerSettings.Stir stirSettings = new ServerSettings.Stir(trustAnchors, ca,
                stir.integer("verify_wait_ms", 200, 0, 10_000),
                stir.integer("fetch_timeout_ms", 2000, 100, 60_000),
                stir.integer("cache_seconds", 3600, 1, 7 * 86_400),
                stir.integer("failure_cache_seconds", 30, 1, 86_400),
                stir.integer("max_age_seconds", 60, 1, 86_400));
        stir.finish();
        identity.finish();
        return new ServerSettings.Identity(callerFrom, assertedFrom, stirSettings);
    }

    /**
     * The files are only named here: the server reads them when it starts and on every reload
     * (a certificate is renewed in place), reporting a file it cannot use at {@code server.sip.tls}.
     */
    private static ServerSettings.Tls tls(MapReader tls) {
        Path certificate = tls.has("certificate") ? path(tls, "certificate", null) : null;
        Path key = tls.has("private_key") ? path(tls, "private_key", null) : null;
        if (certificate == null) {
            tls.requiredString("certificate");
        }
        if (key == null) {
            tls.requiredString("private_key");
        }
        Path ca = tls.has("ca") ? path(tls, "ca", null) : null;
        tls.finish();
        return new ServerSettings.Tls(certificate, key, ca);
    }

    private static List<DialedNumberSource> dialedFrom(MapReader sip) {
        if (!sip.has("dialed_number_from")) {
            return List.of(DialedNumberSource.REQUEST_URI, DialedNumberSource.TO);
        }
        List<DialedNumberSource> result = new ArrayList<>();
        for (MapReader.Item item : sip.stringList("dialed_number_from", "must list request_uri, to or both")) {
            DialedNumberSource source = switch (item.text().toLowerCase(Locale.ROOT)) {
                case "request_uri" -> DialedNumberSource.REQUEST_URI;
                case "to" -> DialedNumberSource.TO;
                default -> null;
            };
            if (source == null) {
                sip.problems().add(item.mark(), item.path(), "must be request_uri or to, got \"" + item.text() + "\"");
            } else if (result.contains(source)) {
                sip.problems().add(item.mark(), item.path(), "\"" + item.text() + "\" is listed twice");
            } else {
                result.add(source);
            }
        }
        return List.copyOf(result);
    }

    private static Map<String, String> headerTags(MapReader sip) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Entry entry : sip.entries("header_tags").values()) {
            String path = sip.path("header_tags") + "." + entry.key();
            if (!isToken(entry.key())) {
                sip.problems().add(entry.keyMark(), path, "not a valid SIP header name");
                continue;
            }
            if (!(entry.value() instanceof ScalarNode scalar) || MapReader.isNull(scalar) || scalar.text().isBlank()) {
                sip.problems().add(entry.value().mark(), path, "expected a tag name, got " + entry.value().describe());
                continue;
            }
            String tag = scalar.text();
            if (!isTagName(tag)) {
                sip.problems().add(scalar.mark(), path, "tag name must be letters, digits, _ . - and start with a letter, got \"" + tag + "\"");
            } else if (BuiltinTag.of(tag) != null) {
                sip.problems().add(scalar.mark(), path, "\"" + tag + "\" is a built-in tag and cannot come from a header");
            } else if (IdentityTags.isReserved(tag)) {
                sip.problems().add(scalar.mark(), path, "\"" + tag
                        + "\" is set by the router from the identity headers and cannot come from another header");
            } else {
                result.put(entry.key(), tag);
            }
        }
        return Map.copyOf(result);
    }

    /** RFC 3261 25.1 token characters. */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-.!%*_+`'~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean isTagName(String text) {
        if (text.isEmpty() || !(Character.isLetter(text.charAt(0)) || text.charAt(0) == '_')) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
                return false;
            }
        }
        return true;
    }

    private static ServerSettings.Admin admin(MapReader admin, Secrets secrets) {
        HostPort listen = HostPort.parse(DEFAULT_ADMIN_LISTEN);
        String text = admin.string("listen", null);
        if (text != null) {
            try {
                listen = HostPort.parse(text);
            } catch (IllegalArgumentException e) {
                admin.error("listen", e.getMessage());
            }
        }
        List<ApiToken> tokens = new ArrayList<>();
        String legacy = secrets.read(admin, "token", MIN_TOKEN_LENGTH, "leave it out to disable the /v1 API");
        if (legacy != null) {
            tokens.add(new ApiToken("admin", ApiToken.Scope.ADMIN, legacy));
        }
        List<YamlNode> items = admin.list("tokens");
        for (int i = 0; i < items.size(); i++) {
            MapReader t = MapReader.of(items.get(i), admin.path("tokens") + "[" + i + "]", admin.problems());
            String name = t.requiredString("name");
            String scopeText = t.string("scope", "read");
            ApiToken.Scope scope = null;
            for (ApiToken.Scope candidate : ApiToken.Scope.values()) {
                if (candidate.label().equals(scopeText)) {
                    scope = candidate;
                }
            }
            if (scope == null) {
                t.error("scope", "must be read or admin, got \"" + scopeText + "\"");
            }
            String value = secrets.read(t, "token", MIN_TOKEN_LENGTH, null);
            if (value == null && !t.has("token") && !t.has("token_env") && !t.has("token_file")) {
                t.error("token", "is required: give token, token_env or token_file");
            }
            t.finish();
            if (name != null && tokens.stream().anyMatch(other -> other.name().equals(name))) {
                t.error("name", "\"" + name + "\" names another token too");
            } else if (name != null && scope != null && value != null) {
                tokens.add(new ApiToken(name, scope, value));
            }
        }
        admin.finish();
        return new ServerSettings.Admin(listen, tokens);
    }

    private static ServerSettings.Tracking tracking(MapReader t) {
        HostPort listen = null;
        String text = t.string("listen", null);
        if (text != null) {
            try {
                listen = HostPort.parse(text);
            } catch (IllegalArgumentException e) {
                t.error("listen", e.getMessage());
            }
        }
        int maxBody = t.integer("max_body_bytes", 8192, 256, 1 << 20);
        int perAddress = t.integer("max_sessions_per_address", 20, 1, 1_000_000);
        List<Cidr> proxies = new ArrayList<>();
        for (MapReader.Item item : t.stringList("trusted_proxies")) {
            try {
                proxies.add(Cidr.parse(item.text()));
            } catch (IllegalArgumentException e) {
                t.problems().add(item.mark(), item.path(), e.getMessage());
            }
        }
        MapReader r = t.child("rate");
        ServerSettings.Tracking.Rate rate = new ServerSettings.Tracking.Rate(
                r.integer("per_address_per_second", 20, 1, 1_000_000),
                r.integer("per_address_burst", 40, 1, 10_000_000),
                r.integer("per_pool_per_second", 2000, 1, 10_000_000),
                r.integer("per_pool_burst", 4000, 1, 100_000_000));
        if (rate.perAddressBurst() < rate.perAddressPerSecond()) {
            r.error("per_address_burst", "per_address_burst=" + rate.perAddressBurst()
                    + " must be >= per_address_per_second=" + rate.perAddressPerSecond());
        }
        if (rate.perPoolBurst() < rate.perPoolPerSecond()) {
            r.error("per_pool_burst", "per_pool_burst=" + rate.perPoolBurst()
                    + " must be >= per_pool_per_second=" + rate.perPoolPerSecond());
        }
        r.finish();
        t.finish();
        return new ServerSettings.Tracking(listen, maxBody, perAddress, List.copyOf(proxies), rate);
    }

    private static ServerSettings.Dns dns(MapReader dns) {
        List<HostPort> servers = new ArrayList<>();
        if (dns.has("servers")) {
            // An empty list means the system's name servers, as leaving it out does.
            for (MapReader.Item item : dns.stringList("servers")) {
                try {
                    HostPort server = HostPort.parse(item.text());
                    if (!isAddressLiteral(server.host()) || server.port() == 0) {
                        dns.problems().add(item.mark(), item.path(),
                                "must be an IP address and a port (a name server is not looked up), got \""
                                        + item.text() + "\"");
                    } else {
                        servers.add(server);
                    }
                } catch (IllegalArgumentException e) {
                    dns.problems().add(item.mark(), item.path(), e.getMessage());
                }
            }
        }
        int timeout = dns.integer("query_timeout_ms", 2000, 1, 60_000);
        int negative = dns.integer("negative_ttl_seconds", 30, 1, 86_400);
        int max = dns.integer("max_ttl_seconds", 86_400, 1, 7 * 86_400);
        dns.finish();
        return new ServerSettings.Dns(List.copyOf(servers), timeout, negative, max);
    }

    /** An IPv4 dotted quad or an IPv6 literal (brackets already removed). */
    private static boolean isAddressLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static ServerSettings.Records records(MapReader records, Path dataDir) {
        int fsync = records.integer("fsync_interval_ms", 100, 0, 60_000);
        int ring = records.integer("ring_buffer_bytes", 8 * 1024 * 1024, 4096, 1 << 30);
        if (Integer.bitCount(ring) != 1) {
            records.error("ring_buffer_bytes", "must be a power of two, got " + ring
                    + " (nearest: " + Integer.highestOneBit(ring) + ")");
        }
        Path journal = records.has("journal_dir") ? path(records, "journal_dir", null) : dataDir.resolve("journal");
        int retention = records.integer("retention_days", 0, 0, 36_500);
        ServerSettings.Kafka kafka = records.has("kafka") ? kafka(records.child("kafka")) : null;
        records.finish();
        return new ServerSettings.Records(fsync, ring, journal, retention, kafka);
    }

    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** Producer properties the router sets itself: {@code properties} may not change them. */
    static final List<String> KAFKA_OWNED = List.of("bootstrap.servers", "client.id", "acks", "enable.idempotence",
            "key.serializer", "value.serializer", "linger.ms", "delivery.timeout.ms", "transactional.id",
            "max.in.flight.requests.per.connection", "retries");

    private static ServerSettings.Kafka kafka(MapReader kafka) {
        List<String> bootstrap = new ArrayList<>();
        YamlNode raw = kafka.raw("bootstrap");
        List<MapReader.Item> items;
        if (raw instanceof ScalarNode) {
            // One broker written as text: the same as a list of one.
            items = List.of(new MapReader.Item(kafka.string("bootstrap", ""), kafka.markOf("bootstrap"),
                    kafka.path("bootstrap")));
        } else {
            items = kafka.stringList("bootstrap", "must name at least one broker (host:port)");
        }
        if (raw == null) {
            kafka.problems().add(kafka.mark(), kafka.path("bootstrap"), "is required: the brokers as host:port");
        }
        for (MapReader.Item item : items) {
            try {
                HostPort broker = HostPort.parse(item.text().trim());
                if (broker.port() == 0) {
                    throw new IllegalArgumentException("port 0 is not a broker's port");
                }
                bootstrap.add(item.text().trim());
            } catch (IllegalArgumentException e) {
                kafka.problems().add(item.mark(), item.path(), e.getMessage());
            }
        }
        String topic = kafka.requiredString("topic");
        if (topic != null && (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
            kafka.error("topic", "a Kafka topic name is 1-249 of a-z A-Z 0-9 . _ - (not . or ..), got \""
                    + topic + "\"");
        }
        String clientId = kafka.string("client_id", "callrouter");
        int batchMax = kafka.integer("batch_max", 1000, 1, 100_000);
        int pollMs = kafka.integer("poll_ms", 100, 1, 60_000);
        int lingerMs = kafka.integer("linger_ms", 5, 0, 60_000);
        int deliveryTimeoutMs = kafka.integer("delivery_timeout_ms", 120_000, 1_000, 86_400_000);
        Map<String, String> properties = new LinkedHashMap<>();
        for (Entry entry : kafka.entries("properties").values()) {
            String path = kafka.path("properties") + "." + entry.key();
            if (KAFKA_OWNED.contains(entry.key())) {
                kafka.problems().add(entry.keyMark(), path, "is set by the router (" + String.join(", ", KAFKA_OWNED)
                        + " are not overridden: see server/README.md, \"Records to Kafka\")");
            } else if (entry.value() instanceof ScalarNode scalar && scalar.kind() != YamlNode.ScalarKind.NULL) {
                properties.put(entry.key(), scalar.text());
            } else {
                kafka.problems().add(entry.value().mark(), path, "expected a text value, got "
                        + entry.value().describe());
            }
        }
        kafka.finish();
        return new ServerSettings.Kafka(bootstrap, topic == null ? "" : topic, clientId, batchMax, pollMs, lingerMs,
                deliveryTimeoutMs, properties);
    }

    /** The engines {@code server.store.url} may name (the JDBC drivers the server ships). */
    static final List<String> STORE_URL_PREFIXES = List.of("jdbc:duckdb:", "jdbc:postgresql:");

    private static ServerSettings.Store store(MapReader store, Secrets secrets) {
        boolean enabled = store.bool("enabled", true);
        String url = store.string("url", null);
        if (url != null && STORE_URL_PREFIXES.stream().noneMatch(url::startsWith)) {
            // The URL is not echoed: it may carry a password (jdbc:postgresql://...?password=...).
            store.error("url", "must be a JDBC URL starting with " + String.join(" or ", STORE_URL_PREFIXES));
            url = null;
        }
        String user = store.string("user", null);
        String password = null;
        if (store.has("password")) {
            store.error("password", "a password is not written in the configuration: give password_env (an "
                    + "environment variable's name) or password_file");
        } else {
            password = secrets.read(store, "password", 1, null);
        }
        int memory = store.integer("memory_limit_mb", 512, 64, 1 << 20);
        int threads = store.integer("threads", 2, 1, 256);
        int checkpointMb = store.integer("checkpoint_mb", 64, 1, 1 << 20);
        int batchMax = store.integer("batch_max", 5000, 1, 1_000_000);
        int pollMs = store.integer("poll_ms", 100, 1, 60_000);
        store.finish();
        return new ServerSettings.Store(enabled, url, user, password, memory, threads, checkpointMb, batchMax, pollMs);
    }

    /** A path setting, resolved against the process working directory. */
    private static Path path(MapReader reader, String key, String dflt) {
        String text = reader.string(key, dflt);
        if (text == null || text.isBlank()) {
            reader.error(key, "must not be empty");
            text = dflt == null ? "." : dflt;
        }
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            reader.error(key, "not a valid path: " + e.getMessage());
            return Path.of(".").toAbsolutePath().normalize();
        }
    }
}
