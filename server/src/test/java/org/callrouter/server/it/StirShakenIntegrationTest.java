package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.TestPki;
import org.callrouter.server.stir.CertificateServer;
import org.callrouter.server.stir.TestPassports;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STIR/SHAKEN through a real router (issue 15 item 5): a jain-sip-ri carrier sends INVITEs with
 * an {@code Identity} header whose PASSporT the test signed with a test certificate's EC P-256
 * key; the certificate is served over HTTPS on loopback ({@link CertificateServer}), its CA is
 * the router's {@code trust_anchors} and {@code ca}. Campaigns require A and a verified
 * signature, or refuse C. Ports 47200-47399.
 */
class StirShakenIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CALLER = "+14155550111";
    private static final String OPEN = "18005550100";
    private static final String STRICT = "18005550102";
    private static final String NO_C = "18005550103";
    private static final int VERIFY_WAIT_MS = 1500;

    @TempDir
    Path dir;

    private CertificateServer certificates;
    private TestPki.Leaf signer;
    private String base;
    private RecordingEvents events;
    private Handler handler;
    private Carrier carrier;
    private RouterFixture router;

    @BeforeEach
    void start() {
        final TestPki.Authority ca = TestPki.authority("test STI-CA");
        final Path caFile = ca.writePem(dir.resolve("sti-ca.pem"));
        signer = ca.issue("test STI signer", "127.0.0.1");
        final int port = Ports.free(47200, 47399);
        base = "https://127.0.0.1:" + port;
        certificates = CertificateServer.start(port, ca.issue("sti-cr", "127.0.0.1"), dir,
                Map.of("/cert.pem", signer.writeCertificatePem(dir.resolve("signer.pem"))));
        events = new RecordingEvents();
        handler = Handler.open(Ports.free(47200, 47399));
        carrier = Carrier.open(Ports.free(47200, 47399));
        handler.behaviour(Behaviour.answer());
        router = RouterFixture.start(dir.resolve("data"), """
                sources:
                  - id: trunk
                handlers:
                  - { id: buyer, uri: "sip:127.0.0.1:%d", timeout_seconds: 5 }
                campaigns:
                  - id: open
                    handlers: [buyer]
                  - id: strict
                    handlers: [buyer]
                    require: ["attestation == A", "attestation_verified == true"]
                  - id: no-c
                    handlers: [buyer]
                    require: ["attestation != C"]
                numbers:
                  - { number: "+%s", campaign: open, source: trunk }
                  - { number: "+%s", campaign: strict, source: trunk }
                  - { number: "+%s", campaign: no-c, source: trunk }
                """.formatted(handler.port(), OPEN, STRICT, NO_C), """
                    identity:
                      stir:
                        trust_anchors: "%s"
                        ca: "%s"
                        verify_wait_ms: %d
                        fetch_timeout_ms: 5000
                """.formatted(caFile, caFile, VERIFY_WAIT_MS), "", Clock.systemUTC(), events, MessageCounters.NONE);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {router, carrier, handler, certificates}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestPassports signedBy(String path) {
        return TestPassports.of(signer.privateKey(), base + path);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Places a call with {@code identity}; returns its final status and its record's tags. */
    private Map<String, String> call(String dialed, String identity, int expectedStatus) {
        final int before = events.received().size();
        final CarrierCall call = carrier.call(router.hostPort(), dialed, CALLER, Map.of("Identity", identity));
        final int status = call.awaitFinal(WAIT).status();
        final List<RecordingEvents.Received> received = events.received();
        final Map<String, String> tags = received.size() > before ? received.get(before).tags() : Map.of();
        assertEquals(expectedStatus, status, tags.toString());
        if (status == 200) {
            assertEquals(200, call.bye(WAIT).status());
        }
        return tags;
    }

    @Test
    void aSignedAttestationIsVerifiedAndTagged() {
        final Map<String, String> tags = call(OPEN, signedBy("/cert.pem").identity("A", "14155550111", OPEN, now()), 200);
        assertEquals("A", tags.get("attestation"), tags.toString());
        assertEquals("true", tags.get("attestation_verified"), tags.toString());
        assertEquals("14155550111", tags.get("attestation_orig"));
        assertEquals(OPEN, tags.get("attestation_dest"));
        assertEquals(TestPassports.ORIGID, tags.get("attestation_origid"));
        assertTrue(tags.containsKey("attestation_iat"));
        assertNull(tags.get("attestation_error"));

        final Map<String, String> strict = call(STRICT, signedBy("/cert.pem").identity("A", "14155550111", STRICT, now()), 200);
        assertEquals("true", strict.get("attestation_verified"), "from the cache this time");
        assertEquals(1, certificates.requests("/cert.pem"), "the certificate was fetched once");
        assertEquals(2, router.server().workers().b2buaStats().attestationsVerified, "stir_attestations_verified_total");
    }

    @Test
    void aForgedSignatureIsRefusedByACampaignThatRequiresAttestationOnly() {
        final TestPassports forger = TestPassports.newKey(base + "/cert.pem");
        final Map<String, String> strict = call(STRICT, forger.identity("A", "14155550111", STRICT, now()), 603);
        assertTrue(strict.get("attestation_error").startsWith("signature does not verify"), strict.toString());
        assertNull(strict.get("attestation"));

        final Map<String, String> open = call(OPEN, forger.identity("A", "14155550111", OPEN, now()), 200);
        assertEquals("false", open.get("attestation_verified"));
        assertEquals(1, handler.inviteCount(), "only the open campaign's call reached the handler");
        assertEquals(2, router.server().workers().b2buaStats().attestationsInvalid, "stir_attestations_invalid_total");
    }

    @Test
    void badIdentityHeadersNeverFailACallThatDoesNotRequireAttestation() {
        final long stale = now() - 120;
        final Map<String, String> staleTags = call(OPEN, signedBy("/cert.pem").identity("A", "14155550111", OPEN, stale), 200);
        assertTrue(staleTags.get("attestation_error").startsWith("stale: iat is"), staleTags.toString());
        final Map<String, String> malformed = call(OPEN, "eyJub3QiOiJqc29uIn0.bad.sig;info=<" + base + "/cert.pem>", 200);
        assertTrue(malformed.get("attestation_error").startsWith("malformed PASSporT"), malformed.toString());
        final Map<String, String> hs256 = call(OPEN, TestPassports.hs256Identity(base + "/cert.pem", now()), 200);
        assertEquals("alg HS256 is not ES256", hs256.get("attestation_error"));
        final Map<String, String> missing = call(OPEN, signedBy("/missing.pem").identity("A", "14155550111", OPEN, now()), 200);
        assertEquals("A", missing.get("attestation"), "a certificate that cannot be had is not proof of forgery");
        assertEquals("false", missing.get("attestation_verified"));
        assertTrue(missing.get("attestation_error").endsWith("/missing.pem answered 404"), missing.toString());

        call(STRICT, signedBy("/cert.pem").identity("A", "14155550111", STRICT, stale), 603);
        assertEquals(4, handler.inviteCount());
        assertEquals(0, router.server().errors().total(), "internal errors");
    }

    @Test
    void aCertificateNotBackInTimeRoutesTheCallUnverified() {
        final Map<String, String> tags = call(OPEN, signedBy("/hang.pem").identity("B", "14155550111", OPEN, now()), 200);
        assertEquals("B", tags.get("attestation"));
        assertEquals("false", tags.get("attestation_verified"));
        assertEquals("not verified within " + VERIFY_WAIT_MS + " ms", tags.get("attestation_error"));
        assertEquals(1, router.server().workers().b2buaStats().attestationsUnverified, "stir_attestations_unverified_total");
    }

    @Test
    void aCallCancelledWhileItsSignatureIsCheckedIsRecordedUnrouted() {
        final CarrierCall call = carrier.call(router.hostPort(), OPEN, CALLER,
                Map.of("Identity", signedBy("/hang.pem").identity("A", "14155550111", OPEN, now())));
        call.awaitStatus(100, WAIT);
        call.cancel();
        assertEquals(487, call.awaitFinal(WAIT).status());
        assertEquals(0, handler.inviteCount(), "never routed");
        assertEquals(List.of("received " + OPEN + " null", "ended canceled 487"), events.lines());
        assertEquals("A", events.received().get(0).tags().get("attestation"), "the record still has the claims");
    }

    @Test
    void aCampaignMayRefuseAttestationC() {
        final Map<String, String> c = call(NO_C, signedBy("/cert.pem").identity("C", "14155550111", NO_C, now()), 603);
        assertEquals("C", c.get("attestation"));
        call(NO_C, signedBy("/cert.pem").identity("B", "14155550111", NO_C, now()), 200);
    }
}
