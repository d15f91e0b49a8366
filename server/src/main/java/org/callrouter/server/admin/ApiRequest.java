package org.callrouter.server.admin;

import java.net.InetAddress;

/**
 * One admin HTTP request, as the {@link AdminServer} hands it to its handler.
 *
 * @param method        the HTTP method ({@code GET}, {@code POST}, ...).
 * @param uri           the request target as sent: path and query, still %-encoded.
 * @param authorization the {@code Authorization} header, or null.
 * @param contentType   the {@code Content-Type} header, or null.
 * @param ifMatch       the {@code If-Match} header, or null.
 * @param body          the body (empty when none).
 * @param client        the peer's address (what rate limits are kept per).
 */
public record ApiRequest(String method, String uri, String authorization, String contentType, String ifMatch,
                         byte[] body, InetAddress client) {
}
