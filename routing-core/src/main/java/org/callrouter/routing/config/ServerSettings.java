package org.callrouter.routing.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code server:} section: plain values the server module interprets. Every field has
 * one YAML name (given in each component's Javadoc), one default and one validation;
 * settings that depend on each other are checked together by the loader's validator.
 *
 * @param dataDir             {@code data_dir} [./data]: where stores and the journal live;
 *                            a relative path resolves against the process working directory
 * @param sip                 {@code sip}: SIP transport and B2BUA settings
 * @param health              {@code health}: handler OPTIONS probing
 * @param drainTimeoutSeconds {@code drain_timeout_seconds} [30]: on SIGTERM, how long live
 *                            calls may go on before they are ended
 * @param admin               {@code admin}: the admin/metrics HTTP endpoint
 * @param records             {@code records}: the call-record pipeline and journal
 * @param webhookDelivery     {@code webhook_delivery}: retry policy for webhooks
 * @param stores              {@code stores}: capacities of the off-heap stores
 * @param dns                 {@code dns}: the resolver of handler host names (RFC 3263)
 * @param tracking            {@code tracking}: the public listener of number pools' landing-page script
 * @param store               {@code store}: the SQL store of leads, sessions, sales and call rows
 */
public record ServerSettings(Path dataDir, Sip sip, Health health, int drainTimeoutSeconds, Admin admin,
                             Records records, WebhookDelivery webhookDelivery, Stores stores, Dns dns,
                             Tracking tracking, Store store) {

    /**
     * {@code server.store}: the SQL database leads, sessions, sales and call rows are fed into
     * from the journal (embedded DuckDB by default, or PostgreSQL).
     *
     * @param enabled       {@code enabled} [true]: false = no database; the journal is the only
     *                      record store and {@code /v1/calls} reads it
     * @param url           {@code url} [null]: a JDBC URL ({@code jdbc:duckdb:...},
     *                      {@code jdbc:postgresql://...}); null = {@code jdbc:duckdb:<data_dir>/leads.duckdb}
     * @param user          {@code user} [null]: the database user (PostgreSQL)
     * @param password      from {@code password_env} (an environment variable's name) or
     *                      {@code password_file} (a file whose trimmed text is the password);
     *                      null = none. Never written in the configuration, never logged
     * @param memoryLimitMb {@code memory_limit_mb} [512]: DuckDB's {@code memory_limit} (its own
     *                      default is 80% of the machine's memory)
     * @param threads       {@code threads} [2]: DuckDB's worker threads
     * @param checkpointMb  {@code checkpoint_mb} [64]: DuckDB's {@code checkpoint_threshold}, the
     *                      write-ahead log's size at which it is folded into the database file
     * @param batchMax      {@code batch_max} [5000]: most journal lines written in one transaction
     * @param pollMs        {@code poll_ms} [100]: how often the ingest looks for new journal lines
     *                      when it has caught up
     */
    public record Store(boolean enabled, String url, String user, String password, int memoryLimitMb, int threads,
                        int checkpointMb, int batchMax, int pollMs) {

        /** The JDBC URL in force: {@link #url}, or the embedded file under {@code dataDir}. */
        public String jdbcUrl(Path dataDir) {
            return url != null ? url : "jdbc:duckdb:" + dataDir.resolve("leads.duckdb");
        }

        /** The settings without the password, so that they can be printed (reload errors, logs). */
        @Override
        public String toString() {
            return "Store[enabled=" + enabled + ", url=" + url + ", user=" + user + ", password="
                    + (password == null ? "none" : "(set)") + ", memoryLimitMb=" + memoryLimitMb + ", threads="
                    + threads + ", checkpointMb=" + checkpointMb + ", batchMax=" + batchMax + ", pollMs=" + pollMs + "]";
        }
    }

    /**
     * {@code server.tracking}: the public HTTP listener landing pages ask for a pool number
     * (the one part of the router meant to face the internet; the admin API stays apart).
     *
     * @param listen                {@code listen} [none]: null = the tracking listener is off
     * @param maxBodyBytes          {@code max_body_bytes} [8192]: larger request bodies are refused
     * @param maxSessionsPerAddress {@code max_sessions_per_address} [20]: live sessions one client
     *                              address may hold, so that one address cannot drain a pool
     * @param trustedProxies        {@code trusted_proxies} [none]: address blocks whose
     *                              {@code X-Forwarded-For} is believed for the client address
     * @param rate                  {@code rate}: request rate limits
     */
    public record Tracking(HostPort listen, int maxBodyBytes, int maxSessionsPerAddress, List<Cidr> trustedProxies,
                           Rate rate) {

        public Tracking {
            trustedProxies = List.copyOf(trustedProxies);
        }

        /** Whether the tracking listener is on. */
        public boolean enabled() {
            return listen != null;
        }

        /**
         * {@code server.tracking.rate}: token buckets per client address and per pool.
         *
         * @param perAddressPerSecond {@code per_address_per_second} [20]: refill per client address
         * @param perAddressBurst     {@code per_address_burst} [40]
         * @param perPoolPerSecond    {@code per_pool_per_second} [2000]
         * @param perPoolBurst        {@code per_pool_burst} [4000]
         */
        public record Rate(int perAddressPerSecond, int perAddressBurst, int perPoolPerSecond, int perPoolBurst) {
        }
    }

    /**
     * {@code server.dns}: where handler host names are resolved (NAPTR, SRV, A/AAAA; RFC 3263).
     *
     * @param servers            {@code servers} [[]]: name servers as {@code ip:port}; empty = the
     *                           system's ({@code /etc/resolv.conf})
     * @param queryTimeoutMs     {@code query_timeout_ms} [2000]: per DNS query
     * @param negativeTtlSeconds {@code negative_ttl_seconds} [30]: how long a name that does not
     *                           resolve (NXDOMAIN, no records, no answer) is remembered before it
     *                           is asked again
     * @param maxTtlSeconds      {@code max_ttl_seconds} [86400]: longest an answer is cached,
     *                           whatever its TTL
     */
    public record Dns(List<HostPort> servers, int queryTimeoutMs, int negativeTtlSeconds, int maxTtlSeconds) {
    }

    /**
     * {@code server.sip}.
     *
     * @param listen                 {@code listen} [udp:127.0.0.1:5060, tcp:127.0.0.1:5060]
     * @param advertisedHost         {@code advertised_host} [null]: host for Via, Contact and
     *                               Record-Route; null means each socket's own listen host
     * @param trusted                {@code trusted} [127.0.0.0/8, ::1/128]: sources allowed to
     *                               send INVITEs; others get 403
     * @param t1Ms                   {@code t1_ms} [500]: RFC 3261 T1, the RTT estimate (17.1.1.1)
     * @param t2Ms                   {@code t2_ms} [4000]: RFC 3261 T2, the retransmit cap (17.1.2.2)
     * @param t4Ms                   {@code t4_ms} [5000]: RFC 3261 T4, max message lifetime (17.1.2.2)
     * @param maxMessageBytes        {@code max_message_bytes} [65536]: larger messages are refused
     * @param dialedNumberFrom       {@code dialed_number_from} [request_uri, to]: where the dialed
     *                               number is read, in order of fallback
     * @param headerTags             {@code header_tags} [{}]: carrier header name → call tag name
     * @param noHandlerStatus        {@code no_handler_status} [480]: final status when every
     *                               handler failed or none was eligible
     * @param maxCallDurationSeconds {@code max_call_duration_seconds} [14400]: both legs are ended
     *                               after this
     * @param overload               {@code overload}: admission limits
     * @param tls                    {@code tls} [null]: certificate, key and trust for SIP over
     *                               TLS; required by a {@code tls:} listen address and by
     *                               {@code sips:} handlers
     * @param connections            {@code connections}: bounds on inbound TCP and TLS connections
     * @param identity               {@code identity}: where the caller's number is read and how a
     *                               signed identity (STIR/SHAKEN) is checked
     * @param sessionTimer           {@code session_timer}: RFC 4028 session timers on each leg
     * @param reliableProvisionals   {@code reliable_provisionals} [supported]: RFC 3262 PRACK on
     *                               each leg, or off
     * @param workers                {@code workers} [available processors, 1..256]: SIP worker
     *                               loops, each owning a disjoint set of calls
     */
    public record Sip(List<ListenAddress> listen, String advertisedHost, List<Cidr> trusted,
                      int t1Ms, int t2Ms, int t4Ms, int maxMessageBytes,
                      List<DialedNumberSource> dialedNumberFrom, Map<String, String> headerTags,
                      int noHandlerStatus, int maxCallDurationSeconds, Overload overload, Tls tls,
                      Connections connections, Identity identity, SessionTimer sessionTimer,
                      ReliableProvisionals reliableProvisionals, int workers) {

        /** The host to put in Via/Contact/Record-Route for a socket. */
        public String advertisedHostFor(ListenAddress socket) {
            return advertisedHost != null ? advertisedHost : socket.address().host();
        }

        /** Whether a source address (4 or 16 bytes) may send INVITEs. */
        public boolean isTrusted(byte[] address) {
            for (Cidr cidr : trusted) {
                if (cidr.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code server.sip.identity}: who the caller is. A network asserts its caller with
     * {@code P-Asserted-Identity} (RFC 3325) or {@code Remote-Party-ID} (draft-ietf-sip-privacy-04),
     * which only a source inside its trust domain may be believed on; STIR/SHAKEN signs it
     * ({@code Identity}, RFC 8224/8225/8588).
     *
     * @param callerFrom   {@code caller_from} [from]: where the caller number is read, in order of
     *                     fallback; {@code p_asserted_identity} and {@code remote_party_id} count
     *                     only from a source in {@code asserted_from}
     * @param assertedFrom {@code asserted_from} [server.sip.trusted]: address blocks whose asserted
     *                     identities are believed (RFC 3325 Spec(T)); from any other source they
     *                     are ignored
     * @param stir         {@code stir}: how the {@code Identity} header's PASSporT is checked
     */
    public record Identity(List<CallerSource> callerFrom, List<Cidr> assertedFrom, Stir stir) {

        public Identity {
            callerFrom = List.copyOf(callerFrom);
            assertedFrom = List.copyOf(assertedFrom);
        }

        /** Whether {@code address} (4 or 16 bytes) may assert a caller's identity. */
        public boolean believes(byte[] address) {
            for (Cidr cidr : assertedFrom) {
                if (cidr.contains(address)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether an asserted identity is ever read (else only From is). */
        public boolean readsAsserted() {
            return callerFrom.contains(CallerSource.P_ASSERTED_IDENTITY)
                    || callerFrom.contains(CallerSource.REMOTE_PARTY_ID);
        }
    }

    /** Where the caller number is read. */
    public enum CallerSource {
        /** {@code p_asserted_identity}: RFC 3325; a {@code tel:} value wins over a {@code sip:} one. */
        P_ASSERTED_IDENTITY,
        /** {@code remote_party_id}: the {@code party=calling} value (draft-ietf-sip-privacy-04). */
        REMOTE_PARTY_ID,
        /** {@code from}: the user part of From (RFC 3261 20.20). */
        FROM
    }

    /**
     * {@code server.sip.identity.stir}: checking the PASSporT of an {@code Identity} header
     * (RFC 8224 6.2). Its claims become call tags in any case; the signature is verified only
     * with {@code trust_anchors}.
     *
     * @param trustAnchors        {@code trust_anchors} [null]: PEM file of the STI-CA root
     *                            certificates a signing certificate must chain to; null = signatures
     *                            are not verified ({@code attestation_verified} stays false)
     * @param ca                  {@code ca} [null]: PEM file of the CA certificates the HTTPS
     *                            server of an {@code x5u} URL must chain to; null = the JDK's default
     *                            trust store
     * @param verifyWaitMs        {@code verify_wait_ms} [200]: longest a call waits for its
     *                            verification before it is routed with {@code attestation_verified=false}
     * @param fetchTimeoutMs      {@code fetch_timeout_ms} [2000]: an {@code x5u} fetch, connect to
     *                            last byte
     * @param cacheSeconds        {@code cache_seconds} [3600]: how long a fetched certificate is used
     * @param failureCacheSeconds {@code failure_cache_seconds} [30]: how long a failed fetch is
     *                            remembered before the URL is asked again
     * @param maxAgeSeconds       {@code max_age_seconds} [60]: a PASSporT whose {@code iat} is
     *                            further from now than this is stale (RFC 8224 6.2.2)
     */
    public record Stir(java.nio.file.Path trustAnchors, java.nio.file.Path ca, int verifyWaitMs, int fetchTimeoutMs,
                       int cacheSeconds, int failureCacheSeconds, int maxAgeSeconds) {

        /** Whether signatures are verified. */
        public boolean verifies() {
            return trustAnchors != null;
        }
    }

    /**
     * {@code server.sip.session_timer}: session timers (RFC 4028), negotiated on the carrier's leg
     * (the router is its UAS) and on the handler's leg (its UAC) independently.
     *
     * @param enabled               {@code enabled} [true]: false = {@code Require: timer} gets 420,
     *                              {@code Session-Expires} is ignored and handlers are offered none
     * @param sessionExpiresSeconds {@code session_expires_seconds} [1800]: the interval offered to
     *                              handlers and the longest granted to a carrier; at least
     *                              {@code min_se_seconds}
     * @param minSeSeconds          {@code min_se_seconds} [90]: a carrier's {@code Session-Expires}
     *                              below it gets 422 with {@code Min-SE}; at least 90 (RFC 4028 4)
     */
    public record SessionTimer(boolean enabled, int sessionExpiresSeconds, int minSeSeconds) {
    }

    /**
     * {@code server.sip.reliable_provisionals}: reliable provisional responses (RFC 3262, option
     * tag {@code 100rel}), each leg with its own RSeq and RAck.
     */
    public enum ReliableProvisionals {
        /**
         * {@code supported}: {@code Require: 100rel} accepted, 18x sent reliably to a carrier that
         * supports or requires it, handlers offered {@code Supported: 100rel} and their reliable
         * 18x acknowledged with PRACK.
         */
        SUPPORTED,
        /** {@code off}: {@code Require: 100rel} gets 420 with {@code Unsupported}; {@code Supported: 100rel} is ignored. */
        OFF
    }

    /** Where the dialed number is taken from (RFC 3261 8.1.1.1 Request-URI, 8.1.1.2 To). */
    public enum DialedNumberSource {
        /** {@code request_uri}: the user part of the Request-URI. */
        REQUEST_URI,
        /** {@code to}: the user part of the To header's URI. */
        TO
    }

    /**
     * {@code server.sip.tls}: SIP over TLS (RFC 3261 section 26), TLS 1.2 or 1.3. The files are
     * read again on every reload, so a renewed certificate is taken up by new connections.
     *
     * @param certificate {@code certificate}: PEM file with the router's certificate chain, leaf
     *                    first; presented to carriers and, as a client certificate, to handlers
     * @param privateKey  {@code private_key}: PEM file with the certificate's unencrypted PKCS#8
     *                    key ({@code BEGIN PRIVATE KEY})
     * @param ca          {@code ca} [null]: PEM file of the CA certificates a handler's certificate
     *                    must chain to; null means the JDK's default trust store
     */
    public record Tls(Path certificate, Path privateKey, Path ca) {
    }

    /**
     * {@code server.sip.connections}: inbound TCP and TLS connections (each holds a socket, a
     * decoder buffer and, for TLS, an engine). A connection over a bound is closed as soon as it
     * is accepted, before any TLS handshake, and counted.
     *
     * @param max           {@code max} [10000]: connections at once, all sources together
     * @param maxPerAddress {@code max_per_address} [100]: connections at once from one IP address
     */
    public record Connections(int max, int maxPerAddress) {
    }

    /**
     * {@code server.sip.overload}.
     *
     * @param maxActiveCalls     {@code max_active_calls} [200000]
     * @param maxPendingInvites  {@code max_pending_invites} [5000]: INVITEs not yet routed
     * @param retryAfterSeconds  {@code retry_after_seconds} [5]: Retry-After of the 503
     */
    public record Overload(int maxActiveCalls, int maxPendingInvites, int retryAfterSeconds) {
    }

    /**
     * {@code server.health}.
     *
     * @param probeIntervalSeconds {@code probe_interval_seconds} [10]
     * @param failureThreshold     {@code failure_threshold} [3]: consecutive failed probes that
     *                             make a healthy handler unhealthy
     * @param recoveryThreshold    {@code recovery_threshold} [1]: consecutive good probes that
     *                             make an unhealthy handler healthy again
     * @param enabled              {@code enabled} [true]: false = no probes, every handler healthy
     * @param passiveFailureThreshold {@code passive_failure_threshold} [0]: consecutive INVITE
     *                             attempts with no response or a 5xx that make a healthy handler
     *                             unhealthy (passive health); 0 = off. Needs {@code enabled}:
     *                             only probes bring a handler back
     */
    public record Health(int probeIntervalSeconds, int failureThreshold, int recoveryThreshold, boolean enabled,
                         int passiveFailureThreshold) {
    }

    /**
     * {@code server.admin}.
     *
     * @param listen {@code listen} [127.0.0.1:8080]
     * @param tokens {@code tokens} [none], and {@code token} (an admin-scoped token named
     *               {@code admin}): bearer tokens for {@code /v1}; none disables {@code /v1}.
     *               Each value may come from the file ({@code token}), the environment
     *               ({@code token_env}) or a file ({@code token_file}).
     */
    public record Admin(HostPort listen, List<ApiToken> tokens) {

        public Admin {
            tokens = List.copyOf(tokens);
        }

        /** Whether {@code /v1} is served (a token is configured). */
        public boolean apiEnabled() {
            return !tokens.isEmpty();
        }

        /**
         * The token {@code presented} is, or null. Every token is compared, in constant time,
         * so the answer's timing does not tell which one came close.
         */
        public ApiToken token(byte[] presented) {
            ApiToken found = null;
            for (ApiToken token : tokens) {
                if (token.matches(presented) && found == null) {
                    found = token;
                }
            }
            return found;
        }

        /** The first admin-scoped token (what {@code router caps} uses), or null. */
        public ApiToken adminToken() {
            for (ApiToken token : tokens) {
                if (token.scope() == ApiToken.Scope.ADMIN) {
                    return token;
                }
            }
            return null;
        }
    }

    /**
     * {@code server.records}.
     *
     * @param fsyncIntervalMs  {@code fsync_interval_ms} [100]: most milliseconds of records at
     *                         risk on power loss; 0 = fsync every record
     * @param ringBufferBytes  {@code ring_buffer_bytes} [8388608]: a power of two
     * @param journalDir       {@code journal_dir} [&lt;data_dir&gt;/journal]
     * @param retentionDays    {@code retention_days} [0]: store rows and journal files older
     *                         than this many days are pruned once a day; 0 = kept forever
     * @param kafka            {@code kafka} [none]: the records also go to a Kafka topic; null = not
     */
    public record Records(int fsyncIntervalMs, int ringBufferBytes, Path journalDir, int retentionDays,
                          Kafka kafka) {

        /** Without the Kafka sink. */
        public Records(int fsyncIntervalMs, int ringBufferBytes, Path journalDir, int retentionDays) {
            this(fsyncIntervalMs, ringBufferBytes, journalDir, retentionDays, null);
        }
    }

    /**
     * {@code server.records.kafka}: the journal's call and conversion lines, as written, shipped
     * to a Kafka topic (server README, "Records to Kafka").
     *
     * @param bootstrap         {@code bootstrap} (required): {@code host:port} of one or more brokers
     * @param topic             {@code topic} (required): where the records go (Kafka's topic name rules)
     * @param clientId          {@code client_id} [callrouter]: the producer's {@code client.id}
     * @param batchMax          {@code batch_max} [1000]: most records in flight (sent, not yet acknowledged)
     * @param pollMs            {@code poll_ms} [100]: how often the journal is looked at once everything is sent
     * @param lingerMs          {@code linger_ms} [5]: the producer's {@code linger.ms}
     * @param deliveryTimeoutMs {@code delivery_timeout_ms} [120000]: a send not acknowledged by then
     *                          fails, is counted and is sent again
     * @param properties        {@code properties} [none]: further producer properties (TLS, SASL, compression);
     *                          never those the router owns
     */
    public record Kafka(List<String> bootstrap, String topic, String clientId, int batchMax, int pollMs, int lingerMs,
                        int deliveryTimeoutMs, Map<String, String> properties) {

        public Kafka {
            bootstrap = List.copyOf(bootstrap);
            properties = Map.copyOf(properties);
        }

        /** {@code bootstrap.servers}. */
        public String bootstrapServers() {
            return String.join(",", bootstrap);
        }
    }

    /**
     * {@code server.webhook_delivery}.
     *
     * @param maxAttempts       {@code max_attempts} [8]: then dead-lettered
     * @param initialBackoffMs  {@code initial_backoff_ms} [1000]: doubled after each failure
     * @param maxBackoffMs      {@code max_backoff_ms} [300000]
     * @param timeoutMs         {@code timeout_ms} [5000]: per HTTP request
     */
    public record WebhookDelivery(int maxAttempts, long initialBackoffMs, long maxBackoffMs, int timeoutMs) {
    }

    /**
     * {@code server.stores}: entries each Chronicle Map file is created for. A store that
     * already exists keeps the size it was created with.
     *
     * @param maxNumbers  {@code max_numbers} [2000000]: tracked numbers
     * @param maxCounters {@code max_counters} [1000000]: handlers with cap counters (ever configured)
     * @param maxCallers  {@code max_callers} [2000000]: caller+campaign entries for repeat
     *                    callers and conversion dedupe
     * @param readyMaxFillPercent  {@code ready_max_fill_percent} [90]: a store fuller than
     *                    this makes the router not ready (1-100; reloadable)
     * @param purgeIntervalSeconds {@code purge_interval_seconds} [3600]: how often caller
     *                    entries outside every window are removed (reloadable)
     * @param maxSessions {@code max_sessions} [200000]: visitor sessions of number pools. A
     *                    session is kept only while a pool number points to it (held, or in its
     *                    attribution grace window and not yet handed on), so this bounds the
     *                    numbers of all pools together, whatever the visitors per hour
     */
    public record Stores(int maxNumbers, int maxCounters, int maxCallers, int readyMaxFillPercent,
                         int purgeIntervalSeconds, int maxSessions) {

        /** Whether the stores' sizes are the same (the only part that needs a restart to change). */
        public boolean sameSizes(Stores other) {
            return maxNumbers == other.maxNumbers && maxCounters == other.maxCounters
                    && maxCallers == other.maxCallers && maxSessions == other.maxSessions;
        }
    }
}
