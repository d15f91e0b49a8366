package org.callrouter.routing.pool;

import java.util.concurrent.atomic.LongAdder;

/** A pool's counters, kept by pool id across reloads. Adders: the call path counts from many threads. */
final class PoolCounters {

    final LongAdder created = new LongAdder();
    final LongAdder renewals = new LongAdder();
    final LongAdder exhausted = new LongAdder();
    final LongAdder addressCap = new LongAdder();
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
}
