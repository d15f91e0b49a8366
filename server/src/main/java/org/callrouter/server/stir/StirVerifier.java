package org.callrouter.server.stir;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.ErrorHandler;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.transport.PemTrust;

/**
 * Verifies PASSporT signatures (RFC 8224 6.2.3) off the SIP loop: the signing certificate comes
 * from {@link SigningCertificates} (cached, or fetched over HTTPS), the ES256 check runs on a
 * small pool of its own, and the outcome is handed to the SIP loop's executor. A call waits for
 * it at most {@code verify_wait_ms} (the call's own timer, not this class's business); an answer
 * after that only fills the cache for the calls that follow.
 */
public final class StirVerifier implements AutoCloseable {

    /** Checks waiting at once; past it a call is routed unverified at once ("verifier busy"). */
    private static final int QUEUE = 4096;

    private final SigningCertificates certificates;
    private final ThreadPoolExecutor pool;
    private final Executor sipLoop;
    private final ErrorHandler errors;

    private StirVerifier(SigningCertificates certificates, ThreadPoolExecutor pool, Executor sipLoop,
                         ErrorHandler errors) {
        this.certificates = certificates;
        this.pool = pool;
        this.sipLoop = sipLoop;
        this.errors = errors;
    }

    /**
     * A verifier for {@code settings}, or null when they name no trust anchors (signatures are
     * then not verified).
     *
     * @param sipLoop where outcomes are delivered
     * @throws IllegalArgumentException when the trust anchors or the CA file cannot be read
     */
    public static StirVerifier start(ServerSettings.Stir settings, Clock clock, Executor sipLoop,
                                     ErrorHandler errors) {
        if (!settings.verifies()) {
            return null;
        }
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), new DefaultThreadFactory("stir-verify", true));
        pool.allowCoreThreadTimeOut(true);
        try {
            return new StirVerifier(new SigningCertificates(settings, clock), pool, sipLoop, errors);
        } catch (RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    /**
     * Reads the files {@code settings} name (trust anchors, x5u CA), as {@link #start} will.
     *
     * @throws IllegalArgumentException naming the file that cannot be used
     */
    public static void checkFiles(ServerSettings.Stir settings) {
        PemTrust.certificates(settings.trustAnchors());
        if (settings.ca() != null) {
            PemTrust.trustOnly(settings.ca());
        }
    }

    /**
     * This verifier (its certificate cache and threads) delivering outcomes on {@code loop}: one
     * per SIP worker, so a call hears of its check on the loop that owns it. Close the one
     * {@link #start} returned, not these.
     */
    public StirVerifier deliveringTo(Executor loop) {
        return new StirVerifier(certificates, pool, loop, errors);
    }

    /**
     * Verifies {@code passport}'s signature and gives the outcome to {@code done} on the SIP
     * loop. Never throws and never waits: when {@link #QUEUE} checks wait already, the answer is
     * "verifier busy" (a check refused later, when the certificate arrives, is not answered: the
     * call's own wait timer routes it unverified).
     */
    public void verify(Passport passport, Consumer<Verification> done) {
        try {
            certificates.key(passport.x5u()).whenCompleteAsync((key, error) -> {
                final Verification outcome = error != null ? Verification.unknown("verification failed: " + error)
                        : key.key() == null ? key.failure() : check(passport, key);
                deliver(done, outcome);
            }, pool);
        } catch (RejectedExecutionException e) {
            deliver(done, Verification.unknown("verifier busy"));
        }
    }

    private static Verification check(Passport passport, SigningKey key) {
        try {
            return passport.jwt().verify(new ECDSAVerifier(key.key())) ? Verification.VERIFIED
                    : Verification.invalid("signature does not verify with the certificate at " + passport.x5u());
        } catch (JOSEException e) {
            return Verification.invalid("signature cannot be verified: " + e.getMessage());
        }
    }

    private void deliver(Consumer<Verification> done, Verification outcome) {
        try {
            sipLoop.execute(() -> done.accept(outcome));
        } catch (RejectedExecutionException e) {
            // The SIP loop is shutting down: the call is being ended anyway.
        } catch (RuntimeException e) {
            errors.onError(e);
        }
    }

    /** Stops the verification threads (fetches in flight are dropped). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
