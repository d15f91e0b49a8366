package org.callrouter.server.b2bua;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.callrouter.routing.config.TrunkConfig;
import org.callrouter.sip.auth.DigestCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An outbound trunk ({@code trunks[]}) as the SIP loop uses it: its settings, the calls through
 * it now ({@code max_concurrent}), and whether it refused our credentials. A trunk that answers
 * 403, challenges again after our credentials, or sends a challenge we cannot answer is marked
 * failed: every later callback through it fails at once, without a call, until a configuration
 * reload; the first failure of each kind is logged, all are counted
 * ({@code trunk_failures_total{trunk,reason}}). Written on the SIP loop; the counts are read by
 * metrics from other threads.
 */
public final class Trunk {

    private static final Logger LOG = LoggerFactory.getLogger(Trunk.class);

    /** Why a call through the trunk failed on the trunk's side (the {@code reason} label). */
    public enum Failure {
        /** 403 to our INVITE. */
        FORBIDDEN(true),
        /** A second 401/407 after we answered the first (not {@code stale}): the credentials are wrong. */
        CHALLENGED_AGAIN(true),
        /** A 401/407 and the trunk has no {@code username}. */
        NO_CREDENTIALS(true),
        /** A challenge with no Digest algorithm we know, or without {@code qop=auth}. */
        UNSUPPORTED_CHALLENGE(true),
        /** No answer to the INVITE (timer B), a transport error, or the trunk's address does not resolve. */
        UNREACHABLE(false),
        /** A 5xx from the trunk. */
        SERVER_ERROR(false);

        private final boolean marksFailed;

        Failure(boolean marksFailed) {
            this.marksFailed = marksFailed;
        }

        /** The metric label: {@code forbidden}, {@code challenged_again}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether it marks the trunk failed until a reload (credentials or authorisation are wrong). */
        public boolean marksFailed() {
            return marksFailed;
        }
    }

    /**
     * What a call through the trunk needs from its configuration, prepared once per load.
     *
     * @param requestUriPrefix {@code sip:} or {@code sips:}; the number and {@link #requestUriSuffix} follow
     * @param requestUriSuffix {@code @host:port;params} of the trunk's URI
     * @param credentials      null when the trunk has no username
     */
    record Settings(TrunkConfig config, String requestUriPrefix, String requestUriSuffix,
                    DigestCredentials credentials) {

        static Settings of(TrunkConfig config) {
            final String uri = config.uri();
            final int colon = uri.indexOf(':');
            final String rest = uri.substring(colon + 1);
            final int at = rest.lastIndexOf('@');
            return new Settings(config, uri.substring(0, colon + 1), "@" + (at >= 0 ? rest.substring(at + 1) : rest),
                    config.authenticates() ? new DigestCredentials(config.username(), config.password()) : null);
        }

        /** The Request-URI that reaches {@code number} through the trunk. */
        String requestUri(String number) {
            return requestUriPrefix + number + requestUriSuffix;
        }
    }

    private final String id;
    private volatile Settings settings;
    /** Places taken; the SIP workers take and give back places concurrently. */
    private final AtomicInteger active = new AtomicInteger();
    private volatile String failedBecause;
    private final LongAdder calls = new LongAdder();
    private final LongAdder[] failures = new LongAdder[Failure.values().length];
    /** Failure kinds logged since the last load (each is logged once, whichever SIP worker saw it). */
    private final AtomicInteger logged = new AtomicInteger();

    Trunk(TrunkConfig config) {
        this.id = config.id();
        this.settings = Settings.of(config);
        for (int i = 0; i < failures.length; i++) {
            failures[i] = new LongAdder();
        }
    }

    public String id() {
        return id;
    }

    Settings settings() {
        return settings;
    }

    /** A new configuration of the same trunk: its counts go on, a failure mark is cleared. */
    void reconfigure(TrunkConfig config) {
        settings = Settings.of(config);
        failedBecause = null;
        logged.set(0);
    }

    /** Why the trunk is marked failed, or null. */
    public String failedBecause() {
        return failedBecause;
    }

    /** Takes one of its {@code max_concurrent} places; false when all are taken. */
    boolean tryAcquire() {
        final int max = settings.config().maxConcurrent();
        int taken;
        do {
            taken = active.get();
            if (taken >= max) {
                return false;
            }
        } while (!active.compareAndSet(taken, taken + 1));
        calls.increment();
        return true;
    }

    /** Gives back a place {@link #tryAcquire} took. */
    void release() {
        active.decrementAndGet();
    }

    /** Counts a failure (and marks the trunk failed when the kind says so); logs the first of each kind. */
    void failed(Failure failure, String reason) {
        failures[failure.ordinal()].increment();
        if (failure.marksFailed() && failedBecause == null) {
            failedBecause = reason;
        }
        final int bit = 1 << failure.ordinal();
        if ((logged.getAndUpdate(seen -> seen | bit) & bit) == 0) {
            LOG.warn("{}{}", reason, failure.marksFailed()
                    ? "; callbacks through it fail until the configuration is reloaded" : "");
        }
    }

    /** Calls up or being set up through it now. */
    public int active() {
        return active.get();
    }

    /** Calls placed through it since start. */
    public long calls() {
        return calls.sum();
    }

    /** Failures of one kind since start. */
    public long failures(Failure failure) {
        return failures[failure.ordinal()].sum();
    }
}
