package org.callrouter.server.transport;

/**
 * Whether the SIP loop is falling behind the datagrams arriving: for a while now, every read of
 * a UDP socket took as many datagrams as one read may take, so more kept waiting. While it is, the
 * B2BUA answers new INVITEs 503 instead of routing them, and the work they would have brought
 * (ten more messages per call) never arrives: the socket's queue stays short, so the calls
 * already accepted keep their latency, and every refused call gets an answer rather than
 * rotting in a kernel buffer until it is dropped.
 */
public interface Backlog {

    /** True while new calls should be refused. Called on the SIP loop. */
    boolean backlogged();

    /** Never backlogged. */
    Backlog NONE = () -> false;
}
