package org.callrouter.server.b2bua;

/**
 * The calls the overload bounds ({@code server.sip.overload}) are checked against: one B2BUA's
 * own, or the sum over every SIP worker's when there are several, so the bounds stay the whole
 * router's. A sum read while other workers change theirs may be a few calls stale: a burst
 * arriving on several workers at once can pass a bound by at most one call per other worker.
 */
public interface CallLoad {

    /** Calls in progress. */
    int activeCalls();

    /** Calls not yet answered. */
    int pendingCalls();
}
