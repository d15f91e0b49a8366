package org.callrouter.loadtest.net;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The endpoints of one loop, flushed together: whatever ran (a read cycle, a tick) may have
 * queued messages on several sockets, and each gets one flush at the end. Loop thread only.
 */
public final class OutboundBatch {

    /** Copy-on-write: endpoints are bound from the main thread while the loop may already flush. */
    private final List<UdpEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private final ErrorLog errors;

    /** A batch reporting socket and handling errors to {@code errors}. */
    public OutboundBatch(ErrorLog errors) {
        this.errors = errors;
    }

    void register(UdpEndpoint endpoint) {
        endpoints.add(endpoint);
    }

    /** Flushes every endpoint with queued messages. */
    public void flushAll() {
        for (int i = 0; i < endpoints.size(); i++) {
            endpoints.get(i).flushIfPending();
        }
    }

    /** Where errors go. */
    public ErrorLog errors() {
        return errors;
    }
}
