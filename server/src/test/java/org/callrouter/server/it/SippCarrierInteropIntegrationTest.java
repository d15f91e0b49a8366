package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.Sipp;
import org.callrouter.server.sipua.SippResult;
import org.callrouter.server.sipua.TestPki;
import org.callrouter.server.stir.CertificateServer;
import org.callrouter.server.stir.TestPassports;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The carrier interop matrix's caller identity and STIR/SHAKEN rows with SIPp as the carrier
 * ({@code sipp/carrier_identity.xml}: anonymous From, P-Asserted-Identity, Privacy: id,
 * Diversion, History-Info and a SHAKEN Identity header, PASSporTs signed by the test and given
 * to SIPp in an injection file), through a real router to a jain-sip-ri handler. Ports 47400-47599.
 */
class SippCarrierInteropIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CALLS = 3;
    private static final String DIALED = "18005550100";
    private static final String CALLER = "+14155550188";

    @TempDir
    Path dir;

    @Test
    void aTrunkCallWithIdentityPrivacyDiversionAndShaken() {
        Sipp.requireInstalled();
        final TestPki.Authority ca = TestPki.authority("test STI-CA");
        final Path caFile = ca.writePem(dir.resolve("sti-ca.pem"));
        final TestPki.Leaf signer = ca.issue("test STI signer", "127.0.0.1");
        final int httpsPort = Ports.free(47400, 47599);
        final String x5u = "https://127.0.0.1:" + httpsPort + "/cert.pem";
        final RecordingEvents events = new RecordingEvents();
        try (CertificateServer certificates = CertificateServer.start(httpsPort, ca.issue("sti-cr", "127.0.0.1"), dir,
                Map.of("/cert.pem", signer.writeCertificatePem(dir.resolve("signer.pem"))));
             Handler handler = Handler.open(Ports.free(47400, 47599));
             RouterFixture router = RouterFixture.start(dir.resolve("data"), """
                     sources:
                       - id: trunk
                     handlers:
                       - { id: buyer, uri: "sip:127.0.0.1:%d", timeout_seconds: 5 }
                     campaigns:
                       - id: signed-only
                         handlers: [buyer]
                         pass_diversion: true
                         require: ["attestation == A", "attestation_verified == true"]
                     numbers:
                       - { number: "+%s", campaign: signed-only, source: trunk }
                     """.formatted(handler.port(), DIALED), """
                         identity:
                           caller_from: [p_asserted_identity, from]
                           asserted_from: ["127.0.0.1/32"]
                           stir: { trust_anchors: "%s", ca: "%s", verify_wait_ms: 3000 }
                     """.formatted(caFile, caFile), "", Clock.systemUTC(), events, MessageCounters.NONE)) {
            handler.behaviour(Behaviour.answer());
            final Path injection = injection(TestPassports.of(signer.privateKey(), x5u), x5u);
            try (Sipp carrier = Sipp.scenario("carrier_identity.xml").ports(47400, 47599).remote(router.hostPort())
                    .service(DIALED).calls(CALLS).rate(5).args("-inf", injection.toString()).start()) {
                final SippResult placed = carrier.awaitExit();
                assertEquals(CALLS, placed.successfulCalls(), placed::toString);
            }
            final List<ReceivedRequest> invites = handler.awaitInvites(CALLS, WAIT);
            for (ReceivedRequest invite : invites) {
                assertEquals("anonymous", invite.fromUser(), "Privacy: id");
                assertTrue(invite.header("Diversion").contains("+18005550199"), invite.headers().toString());
                assertTrue(invite.headers().has("History-Info"), invite.headers().toString());
            }
            assertEquals(CALLS, events.received().size());
            for (RecordingEvents.Received record : events.received()) {
                assertEquals(CALLER, record.caller(), "the asserted caller");
                final Map<String, String> tags = record.tags();
                assertEquals("A", tags.get("attestation"), tags.toString());
                assertEquals("true", tags.get("attestation_verified"), tags.toString());
                assertEquals("id", tags.get("caller_privacy"));
                assertEquals("+18005550199", tags.get("diverted_from"));
                assertEquals("no-answer", tags.get("diversion_reason"));
            }
            assertEquals(1, certificates.requests("/cert.pem"), "fetched once, then cached");
            assertEquals(0, router.server().errors().total(), "internal errors");
        }
    }

    /** SIPp's injection file: per call the PASSporT, its x5u and the asserted caller. */
    private Path injection(TestPassports passports, String x5u) {
        final StringBuilder lines = new StringBuilder("SEQUENTIAL\n");
        final long iat = System.currentTimeMillis() / 1000;
        for (int i = 0; i < CALLS; i++) {
            final String identity = passports.identity("A", CALLER.substring(1), DIALED, iat);
            lines.append(identity, 0, identity.indexOf(';')).append(';').append(x5u).append(';').append(CALLER)
                    .append('\n');
        }
        try {
            return Files.writeString(dir.resolve("identities.csv"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
