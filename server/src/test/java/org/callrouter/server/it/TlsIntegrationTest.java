package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.callrouter.routing.config.ConfigException;
import org.callrouter.server.RouterServer;
import org.callrouter.server.TestConfig;
import org.callrouter.server.records.CallEvents;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.callrouter.server.sipua.ReceivedRequest;
import org.callrouter.server.sipua.SipUa;
import org.callrouter.server.sipua.TestPki;
import org.callrouter.server.sipua.TlsIdentity;
import org.callrouter.server.transaction.MessageCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS (RFC 3261 section 26) through a real router: jain-sip-ri carrier and handlers
 * listening on TLS with certificates made for the test by {@link TestPki}.
 */
class TlsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private TestPki.Authority ca;
    private Path routerCertificate;
    private Path routerKey;
    private Path caFile;
    private int udpPort;
    private int tlsPort;
    private RouterServer router;
    /** YAML lines added under {@code server.sip}. */
    private String extraSip = "";

    @BeforeEach
    void pki() {
        ca = TestPki.authority("callrouter test CA");
        final TestPki.Leaf leaf = ca.issue("router", "127.0.0.1");
        routerCertificate = leaf.writeCertificatePem(dir.resolve("router.pem"));
        routerKey = leaf.writeKeyPem(dir.resolve("router-key.pem"));
        caFile = ca.writePem(dir.resolve("ca.pem"));
        udpPort = Ports.free(45000, 45999);
        tlsPort = Ports.free(45000, 45999);
    }

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
    }

    private String yaml(String routing) {
        return """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d", "tls:127.0.0.1:%d"]
                    t1_ms: 100
                    tls: { certificate: "%s", private_key: "%s", ca: "%s" }
                %s
                  admin: { listen: "127.0.0.1:0" }
                  health: { enabled: false }
                %s
                """.formatted(dir.resolve("data"), udpPort, tlsPort, routerCertificate, routerKey, caFile,
                extraSip.stripTrailing(), routing);
    }

    private void startRouter(String routing) {
        router = RouterServer.start(TestConfig.load(dir, yaml(routing)), Clock.systemUTC(), CallEvents.NONE,
                MessageCounters.NONE);
    }

    private static String handlers(String... idUriPairs) {
        final StringBuilder handlers = new StringBuilder("sources:\n  - id: web\nhandlers:\n");
        final StringBuilder ids = new StringBuilder();
        for (int i = 0; i < idUriPairs.length; i += 2) {
            handlers.append("  - { id: ").append(idUriPairs[i]).append(", uri: \"").append(idUriPairs[i + 1])
                    .append("\", priority: ").append(i / 2 + 1).append(", timeout_seconds: 5 }\n");
            ids.append(i == 0 ? "" : ", ").append(idUriPairs[i]);
        }
        return handlers + """
                campaigns:
                  - id: sales
                    handlers: [%s]
                numbers:
                  - { number: "+18005550100", campaign: sales, source: web }
                """.formatted(ids);
    }

    private TlsIdentity identity(String name, TestPki.Leaf leaf) {
        return TlsIdentity.write(dir, name, leaf, ca);
    }

    @Test
    void callOverTlsFromCarrierToSipsHandlerAndBack() {
        try (Handler handler = Handler.openTls("tls-handler", Ports.free(45000, 45999),
                identity("handler", ca.issue("handler", "127.0.0.1")));
             Carrier carrier = Carrier.openTls("tls-carrier", Ports.free(45000, 45999),
                     identity("carrier", ca.issue("carrier", "127.0.0.1")))) {
            startRouter(handlers("secure", "sips:127.0.0.1:" + handler.port()));

            handler.behaviour(Behaviour.answer());
            final CarrierCall call = carrier.call(SipUa.Transport.TLS, "127.0.0.1:" + tlsPort, Routing.DIALED,
                    Carrier.nextCallerNumber(), Map.of());
            assertEquals(200, call.awaitFinal(WAIT).status());
            final ReceivedRequest invite = handler.awaitInvites(1, WAIT).get(0);
            assertEquals("TLS", invite.transport(), "the B leg runs over TLS");
            assertTrue(invite.requestUri().startsWith("sips:"), invite.requestUri());
            assertTrue(invite.header("Contact").contains("<sips:127.0.0.1:" + tlsPort + ">"),
                    "the router's Contact keeps the handler's requests on TLS: " + invite.header("Contact"));
            assertEquals(200, call.bye(WAIT).status());
            assertEquals("TLS", handler.awaitRequest("BYE", WAIT).transport());

            // The handler hangs up: its BYE reaches the router's TLS socket, the carrier's BYE leaves on TLS.
            handler.behaviour(Behaviour.answerThenHangUp(Duration.ofMillis(200)));
            final CarrierCall second = carrier.call(SipUa.Transport.TLS, "127.0.0.1:" + tlsPort, Routing.DIALED,
                    Carrier.nextCallerNumber(), Map.of());
            assertEquals(200, second.awaitFinal(WAIT).status());
            second.awaitBye(WAIT);
            assertEquals(200, handler.awaitResponse("BYE", WAIT).status());

            assertEquals(0, router.workers().b2buaStats().activeCalls, "active calls");
            assertEquals(0, router.errors().total(), "internal errors");
            assertEquals(List.of(), handler.errors());
            assertEquals(List.of(), carrier.errors());
        }
    }

    @Test
    void handlersWhoseCertificateIsNotTrustedAreFailedOverNeverCalledInClear() {
        final TestPki.Authority stranger = TestPki.authority("someone else's CA");
        try (Handler untrusted = Handler.openTls("untrusted", Ports.free(45000, 45999),
                TlsIdentity.write(dir, "untrusted", stranger.issue("untrusted", "127.0.0.1"), ca));
             Handler misnamed = Handler.openTls("misnamed", Ports.free(45000, 45999),
                     identity("misnamed", ca.issue("misnamed", "handler.invalid")));
             Handler good = Handler.openTls("good", Ports.free(45000, 45999),
                     identity("good", ca.issue("good", "127.0.0.1")));
             Carrier carrier = Carrier.open("udp-carrier", Ports.free(45000, 45999), SipUa.Transport.UDP)) {
            startRouter(handlers("untrusted", "sips:127.0.0.1:" + untrusted.port(),
                    "misnamed", "sip:127.0.0.1:" + misnamed.port() + ";transport=tls",
                    "good", "sips:127.0.0.1:" + good.port()));
            good.behaviour(Behaviour.answer());

            final CarrierCall call = carrier.call("127.0.0.1:" + udpPort, Routing.DIALED);
            assertEquals(200, call.awaitFinal(WAIT).status());
            assertEquals(1, good.awaitInvites(1, WAIT).size());
            assertEquals(0, untrusted.inviteCount(), "a CA the router does not trust");
            assertEquals(0, misnamed.inviteCount(), "a certificate for another name than the URI's host");
            assertEquals(2, router.transport().tlsHandshakeFailures(), "one failed handshake per refused handler");
            assertEquals(200, call.bye(WAIT).status());
            good.awaitRequest("BYE", WAIT);
            assertEquals(0, router.errors().total(), "a handshake failure is not an internal error");
        }
    }

    @Test
    void reloadTakesUpARenewedCertificateForNewConnections() throws Exception {
        startRouter(handlers("only", "sip:127.0.0.1:5080"));
        final BigInteger before = serverCertificate().getSerialNumber();

        final TestPki.Leaf renewed = ca.issue("router renewed", "127.0.0.1");
        renewed.writeCertificatePem(routerCertificate);
        renewed.writeKeyPem(routerKey);
        router.reload(TestConfig.load(dir, yaml(handlers("only", "sip:127.0.0.1:5080"))));
        assertEquals(renewed.certificate().getSerialNumber(), serverCertificate().getSerialNumber());
        assertTrue(!before.equals(renewed.certificate().getSerialNumber()));

        Files.writeString(routerKey, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        final ConfigException refused = assertThrows(ConfigException.class,
                () -> router.reload(TestConfig.load(dir, yaml(handlers("only", "sip:127.0.0.1:5080")))));
        assertEquals("server.sip.tls", refused.errors().get(0).path(), refused.getMessage());
        assertTrue(refused.errors().get(0).line() > 0, "the error has the file's line: " + refused.getMessage());
        assertEquals(renewed.certificate().getSerialNumber(), serverCertificate().getSerialNumber(),
                "a bad key file leaves the running certificate");
    }

    @Test
    void tlsConnectionsShareTheBoundsOfTcpOnesAndAreRefusedBeforeTheHandshake() throws Exception {
        extraSip = "    connections: { max_per_address: 1 }";
        startRouter(handlers("only", "sip:127.0.0.1:5080"));
        try (SSLSocket open = tlsConnection()) {
            open.startHandshake();
            try (SSLSocket refused = tlsConnection()) {
                assertThrows(IOException.class, refused::startHandshake, "closed before any handshake");
            }
            assertEquals(1, router.transport().inboundConnections().refusedPerAddress());
            assertEquals(0, router.transport().tlsHandshakeFailures(), "the refused connection never got that far");
            assertEquals(1, router.transport().inboundConnections().open());
        }
    }

    /** The certificate the router's TLS socket presents to a new connection. */
    private X509Certificate serverCertificate() throws IOException, java.security.GeneralSecurityException {
        try (SSLSocket socket = tlsConnection()) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** A TCP connection to the router's TLS socket, trusting the test CA, not yet shaken hands. */
    private SSLSocket tlsConnection() throws IOException, java.security.GeneralSecurityException {
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        final SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", tlsPort);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }
}
