package org.callrouter.server.sipua;

/**
 * The peers of most call-flow tests: a carrier and two handlers (first and second in priority),
 * each on a free UDP port of one range, closed together.
 */
public record Peers(Carrier carrier, Handler first, Handler second) implements AutoCloseable {

    /** Opens the three user agents on free ports in {@code [from, to]}. */
    public static Peers open(int from, int to) {
        return new Peers(Carrier.open(Ports.free(from, to)), Handler.open(Ports.free(from, to)),
                Handler.open(Ports.free(from, to)));
    }

    @Override
    public void close() {
        carrier.close();
        first.close();
        second.close();
    }
}
