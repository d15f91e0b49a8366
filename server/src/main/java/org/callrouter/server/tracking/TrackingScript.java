package org.callrouter.server.tracking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The landing-page script {@code GET /callrouter.js} serves: the classpath resource
 * {@value #RESOURCE}, read once when the listener starts, kept plain and gzipped (so no request
 * pays for compression), with a strong {@code ETag} so a browser revalidating after the
 * {@value #MAX_AGE_SECONDS}-second cache gets a {@code 304}. Without the resource the route
 * answers {@code 404}.
 */
final class TrackingScript {

    static final String RESOURCE = "tracking/callrouter.js";
    static final int MAX_AGE_SECONDS = 300;
    static final String TYPE = "application/javascript; charset=utf-8";
    private static final String CACHE_CONTROL = "public, max-age=" + MAX_AGE_SECONDS;

    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;

    TrackingScript(byte[] plain) {
        this.plain = plain;
        this.gzipped = gzip(plain);
        this.etag = "\"" + HexFormat.of().formatHex(sha256(plain), 0, 12) + "\"";
    }

    /** The script on the class path, or null when it is not there. */
    static TrackingScript load() {
        try (InputStream in = TrackingScript.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? null : new TrackingScript(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE + " from the class path", e);
        }
    }

    /** The answer to {@code GET /callrouter.js}. */
    TrackingResponse answer(TrackingRequest request) {
        if (etag.equals(request.ifNoneMatch())) {
            return TrackingResponse.empty(304, "ETag", etag, "Cache-Control", CACHE_CONTROL, "Vary", "Accept-Encoding");
        }
        if (request.acceptsGzip()) {
            return new TrackingResponse(200, TYPE, gzipped, new String[] {"Content-Encoding", "gzip", "ETag", etag,
                "Cache-Control", CACHE_CONTROL, "Vary", "Accept-Encoding"});
        }
        return new TrackingResponse(200, TYPE, plain, new String[] {"ETag", etag, "Cache-Control", CACHE_CONTROL,
            "Vary", "Accept-Encoding"});
    }

    /** The gzipped size (the "< 4 KiB gzipped"). */
    int gzippedBytes() {
        return gzipped.length;
    }

    private static byte[] gzip(byte[] plain) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory", e);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
