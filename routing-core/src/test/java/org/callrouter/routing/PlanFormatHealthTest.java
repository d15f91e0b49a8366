package org.callrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.callrouter.routing.config.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explain shows why a handler is unhealthy and which candidates a call could not reach. */
class PlanFormatHealthTest {

    private static final String YAML = """
            sources: [ { id: web } ]
            handlers:
              - { id: first, uri: "sip:first.example.test" }
              - { id: second, uri: "sip:127.0.0.1:5081", priority: 2 }
            campaigns: [ { id: sales, handlers: [first, second] } ]
            numbers: [ { number: "+18005550100", campaign: sales, source: web } ]
            """;

    @TempDir
    Path temp;

    @Test
    void unhealthyDetailAndUnreachableCandidates() {
        TestClock clock = new TestClock("2026-03-14T18:00:00Z");
        Fixture fixture = new Fixture(temp);
        try (Router serving = fixture.open(YAML, clock, 7);
             Router explainer = Router.openReadOnly(fixture.config(YAML), clock, new SplittableRandom(1),
                     serving.health())) {
            serving.health().settings(new ServerSettings.Health(10, 2, 1, true, 2));
            CallContext call = CallContext.builder().dialedNumber("+18005550100").callerNumber("+14155550100").build();
            String healthy = PlanFormat.json(explainer.route(call), serving.health(),
                    uri -> uri.contains("first.example.test") ? "dns: first.example.test: NXDOMAIN" : null);
            assertTrue(healthy.contains("{\"handler\":\"first\",\"priority\":1,\"weight\":1,"
                    + "\"unreachable\":\"dns: first.example.test: NXDOMAIN\"}"), healthy);
            assertTrue(healthy.contains("{\"handler\":\"second\",\"priority\":2,\"weight\":1}"), healthy);

            serving.health().inviteResult("second", true, 503, 1);
            serving.health().inviteResult("second", true, 408, 2);
            String json = PlanFormat.json(explainer.route(call), serving.health());
            assertTrue(json.contains("\"skipped\":[{\"handler\":\"second\",\"reason\":\"unhealthy\",\"health\":"
                    + "\"2 consecutive INVITEs failed (last: no response); probes bring it back\"}]"), json);
            assertEquals(-1, PlanFormat.json(explainer.route(call)).indexOf("\"health\""),
                    "without the health the plain format stays as it was");
        }
    }
}
