package org.callrouter.routing.pool;

/**
 * One number of a pool. {@link #session} is the session that holds the number or, once the
 * lease ended, the one a call may still be attributed to until another visitor gets the
 * number; it is read without a lock on the call path. The rest is guarded by the pool's lock.
 */
final class Slot {

    final NumberPool pool;
    final long number;
    final String text;
    volatile Session session;
    boolean free;
    /** When the number was last freed (epoch ms); 0 = not since the router knows it. */
    long freedAtMs;
    Slot previous;
    Slot next;

    Slot(NumberPool pool, long number, String text) {
        this.pool = pool;
        this.number = number;
        this.text = text;
    }
}
