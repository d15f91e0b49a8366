package org.callrouter.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * {@code admin/openapi.json} documents exactly the {@code /v1} routes {@link AdminApi} answers:
 * the same paths, each with the same method and scope. A route added to the table without its
 * documentation, or documentation left behind by a removed route, fails here.
 */
class OpenApiDocumentTest {

    private static final String METHODS = "get put post delete patch head options trace";

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws IOException {
        // The route table does not touch the service; building it needs none.
        final AdminApi api = new AdminApi(null, Clock.systemUTC());
        final Map<String, String> routes = new TreeMap<>();
        for (V1Route route : api.routes()) {
            routes.put(route.method() + " " + route.template(), route.scope().label());
        }
        final Map<String, String> documented = new TreeMap<>();
        final JsonNode paths = document().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            final Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                final Map.Entry<String, JsonNode> operation = o.next();
                if (METHODS.contains(operation.getKey())) {
                    documented.put(operation.getKey().toUpperCase() + " " + path.getKey(),
                            operation.getValue().path("x-scope").asText());
                }
            }
        }
        assertEquals(routes, documented, "routes of AdminApi (left) and operations of " + AdminApi.OPENAPI);
    }

    @Test
    void everyOperationNamesItsAnswersAndTheBearerScheme() throws IOException {
        final JsonNode doc = document();
        assertEquals("http", doc.at("/components/securitySchemes/bearer/type").asText());
        assertEquals("bearer", doc.at("/components/securitySchemes/bearer/scheme").asText());
        for (JsonNode path : doc.path("paths")) {
            for (JsonNode operation : path) {
                final String id = operation.path("operationId").asText();
                assertTrue(operation.at("/responses/200/content/application~1json/schema").isObject(),
                        id + " has no schema for its 200 answer");
                for (String status : new String[] {"401", "403", "405"}) {
                    assertTrue(operation.path("responses").has(status), id + " does not document " + status);
                }
            }
        }
    }

    static JsonNode document() throws IOException {
        try (InputStream in = AdminApi.class.getResourceAsStream(AdminApi.OPENAPI)) {
            return ApiResponse.JSON.readTree(in);
        }
    }
}
