package org.callrouter.server.admin;

import java.util.List;
import java.util.Map;

import org.callrouter.routing.config.ApiToken;

/**
 * One {@code /v1} route of the admin API: its method, path template ({@code /v1/calls/{id}}: a
 * {@code {name}} segment matches any non-empty segment), the token scope it needs and what answers
 * it. {@link AdminApi} keeps them in a table so that the routes can be listed, and
 * {@code OpenApiDocumentTest} compares that list with {@code admin/openapi.json}.
 */
record V1Route(String method, String template, ApiToken.Scope scope, Endpoint endpoint) {

    /** What answers a matched route. */
    @FunctionalInterface
    interface Endpoint {
        /**
         * @param segments the request path's segments ({@code ["v1", "calls", "<id>"]}).
         */
        ApiResponse answer(List<String> segments, Map<String, List<String>> query, byte[] body) throws ApiException;
    }

    /** Whether the path's segments fit this template. */
    boolean matches(List<String> segments) {
        final String[] parts = template.substring(1).split("/", -1);
        if (parts.length != segments.size()) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            final boolean variable = parts[i].startsWith("{") && parts[i].endsWith("}");
            if (variable ? segments.get(i).isEmpty() : !parts[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }
}
