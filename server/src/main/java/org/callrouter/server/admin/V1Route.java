package org.callrouter.server.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.callrouter.routing.config.ApiToken;

/**
 * One {@code /v1} route of the admin API: its method, path template ({@code /v1/calls/{id}}: a
 * {@code {name}} segment matches any non-empty segment), the token scope it needs, the largest
 * JSON body it takes and what answers it. {@link AdminApi} keeps them in a table so that the
 * routes can be listed, and {@code OpenApiDocumentTest} compares that list with
 * {@code admin/openapi.json}.
 *
 * @param maxBodyBytes the largest body the route reads, checked before it is parsed (413 beyond,
 *                     415 for a body declared as anything but JSON); {@link #UNCHECKED} for
 *                     the older routes, which read an optional small body as it comes.
 */
record V1Route(String method, String template, ApiToken.Scope scope, int maxBodyBytes, Action action) {

    /** {@link #maxBodyBytes} of a route that does not check its body's size and type. */
    static final int UNCHECKED = -1;

    /** A route whose body, if any, is not checked before {@code endpoint} reads it. */
    V1Route(String method, String template, ApiToken.Scope scope, Endpoint endpoint) {
        this(method, template, scope, UNCHECKED, call -> endpoint.answer(call.segments(), call.query(), call.body()));
    }

    /** What answers a matched route, from the path, query and body. */
    @FunctionalInterface
    interface Endpoint {
        /**
         * @param segments the request path's segments ({@code ["v1", "calls", "<id>"]}).
         */
        ApiResponse answer(List<String> segments, Map<String, List<String>> query, byte[] body) throws ApiException;
    }

    /** What answers a matched route that also needs to know who asks (to audit a change). */
    @FunctionalInterface
    interface Action {
        ApiResponse answer(Call call) throws ApiException;
    }

    /**
     * One matched request.
     *
     * @param segments the request path's segments ({@code ["v1", "leads", "<id>"]}).
     * @param token    the bearer token that was accepted (its name says who asked).
     * @param ifMatch  the {@code If-Match} header, or null ({@link EntityTag#check}).
     */
    record Call(List<String> segments, Map<String, List<String>> query, byte[] body, ApiToken token,
                String ifMatch) {

        /** {@code api:<token name>}: who changed what, in audits. */
        String actor() {
            return "api:" + token.name();
        }
    }

    /** How many {@code {name}} segments the template has: a route with fewer wins a path both fit. */
    int variables() {
        return (int) template.chars().filter(c -> c == '{').count();
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

    /**
     * Refuses a body this route does not take: larger than {@link #maxBodyBytes} (413), or sent
     * with a {@code Content-Type} other than JSON (415). A body without a type is read as JSON.
     */
    void checkBody(String contentType, byte[] body) throws ApiException {
        if (maxBodyBytes == UNCHECKED || body.length == 0) {
            return;
        }
        if (body.length > maxBodyBytes) {
            throw new ApiException(413, "the body is " + body.length + " bytes; " + method + " " + template
                    + " takes at most " + maxBodyBytes);
        }
        if (contentType != null && !isJson(contentType)) {
            throw new ApiException(415, "the body must be JSON (Content-Type: application/json), got Content-Type: "
                    + contentType);
        }
    }

    /** {@code application/json}, or a {@code +json} type, with any parameters. */
    private static boolean isJson(String contentType) {
        final int semicolon = contentType.indexOf(';');
        final String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
