package org.callrouter.server.tracking;

/**
 * One tracking request, as {@link TrackingServer} hands it to {@link TrackingApi}.
 *
 * @param method      the HTTP method
 * @param path        the request target's path, without the query (not %-decoded: every id on
 *                    this listener is plain ASCII, so an escape only makes the path unknown)
 * @param origin      the {@code Origin} header, or null
 * @param acceptsGzip whether {@code Accept-Encoding} names gzip
 * @param ifNoneMatch the {@code If-None-Match} header, or null
 * @param body        the body (empty when none)
 * @param client      the client's key ({@link ClientAddress})
 */
record TrackingRequest(String method, String path, String origin, boolean acceptsGzip, String ifNoneMatch,
                       byte[] body, String client) {
}
