package org.callrouter.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.callrouter.server.Await;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.TestConfig;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Carrier;
import org.callrouter.server.sipua.CarrierCall;
import org.callrouter.server.sipua.Handler;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callback schedule survives {@code kill -9}: {@code router serve} in its own JVM schedules a
 * callback for a lost call, is killed with SIGKILL, and the next process on the same data
 * directory lists the same callback and places its try when due. Ports 47900-47949.
 */
class CallbackKillIntegrationTest {

    private static final String NUMBER = "+18005550100";
    private static final String TOKEN = "kill-test-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final int sipPort = Ports.free(47900, 47949);
    private final int adminPort = Ports.free(47900, 47949);
    private final Handler handler = Handler.open(Ports.free(47900, 47949));
    private final Handler customer = Handler.open(Ports.free(47900, 47949));
    private final Carrier carrier = Carrier.open(Ports.free(47900, 47949));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void close() {
        carrier.close();
        customer.close();
        handler.close();
    }

    private Path config() {
        TestConfig.load(dir, """
                server:
                  data_dir: %s
                  sip:
                    listen: ["udp:127.0.0.1:%d"]
                  health: { enabled: false }
                  admin: { listen: "127.0.0.1:%d", token: "%s" }
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "%s", timeout_seconds: 1 }
                campaigns:
                  - id: sales
                    handlers: [first]
                    callback: { enabled: true, intervals: [10s], trunk: out }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                trunks:
                  - { id: out, uri: "sip:127.0.0.1:%d", caller_id: "+18005550199" }
                """.formatted(dir.resolve("data"), sipPort, adminPort, TOKEN, handler.uri(), NUMBER, customer.port()));
        return dir.resolve("router.yaml");
    }

    private JsonNode callbacks() {
        try {
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + adminPort + "/v1/callbacks"))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer::body);
            return JSON.readTree(answer.body()).path("callbacks");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aPendingCallbackSurvivesKillNineAndIsTriedByTheNextProcess() {
        final Path config = config();
        final String id;
        final String caller;
        handler.script(Behaviour.ringForever()).behaviour(Behaviour.answer());
        try (RouterProcess router = RouterProcess.start(config, "http://127.0.0.1:" + adminPort,
                dir.resolve("first.log"))) {
            final CarrierCall lost = carrier.call("127.0.0.1:" + sipPort, NUMBER);
            assertEquals(480, lost.awaitFinal(WAIT).status());
            caller = lost.callerNumber();
            Await.until(WAIT, () -> callbacks().size() == 1, () -> "a callback in " + callbacks());
            final JsonNode pending = callbacks().get(0);
            assertEquals("pending", pending.path("state").asText());
            id = pending.path("id").asText();
            router.kill();
        }
        assertEquals(0, customer.invites().size(), "killed before the try was due");

        try (RouterProcess router = RouterProcess.start(config, "http://127.0.0.1:" + adminPort,
                dir.resolve("second.log"))) {
            final JsonNode after = callbacks();
            assertEquals(1, after.size(), after::toString);
            assertEquals(id, after.get(0).path("id").asText());
            assertEquals(caller, after.get(0).path("customer").asText());
            Await.until(WAIT, () -> callbacks().get(0).path("state").asText().equals("connected"),
                    () -> "connected: " + callbacks());
            assertEquals(1, customer.invites().size());
            router.terminate();
        }
    }
}
