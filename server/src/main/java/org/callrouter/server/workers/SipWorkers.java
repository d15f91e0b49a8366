package org.callrouter.server.workers;

import java.util.List;

import org.callrouter.server.b2bua.B2buaStats;
import org.callrouter.server.b2bua.CallLoad;
import org.callrouter.server.transaction.InboundStats;
import org.callrouter.server.transaction.TransactionStats;
import org.callrouter.server.transaction.WorkerKey;
import org.callrouter.sip.codec.InboundMessage;
import org.callrouter.sip.message.SipMessage;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.InboundSink;

/**
 * The SIP workers of a router ({@code server.sip.workers}) and the hand-off of what the
 * transport reads to the worker that owns it ({@link WorkerKey}): on the reading loop, which is
 * also worker 0's, a message of worker 0 is handled at once, any other is queued to its owner's
 * loop. Also the sums over workers that metrics, the admin API and the overload bounds read.
 */
public final class SipWorkers implements InboundSink, CallLoad {

    private final List<SipWorker> workers;
    private final SipWorker[] byId;

    /** @param workers worker {@code i} at index {@code i}; worker 0 runs on the transport's loop. */
    public SipWorkers(List<SipWorker> workers) {
        this.workers = List.copyOf(workers);
        this.byId = this.workers.toArray(SipWorker[]::new);
        for (int i = 0; i < byId.length; i++) {
            if (byId[i].id() != i) {
                throw new IllegalArgumentException("worker " + byId[i].id() + " at index " + i);
            }
        }
    }

    /** How many workers there are. */
    public int count() {
        return byId.length;
    }

    /** Worker {@code id}. */
    public SipWorker get(int id) {
        return byId[id];
    }

    /** Every worker, by id. */
    public List<SipWorker> all() {
        return workers;
    }

    /**
     * Where the transport's messages go when there are several workers (with one, the
     * transport hands them to worker 0's dispatcher directly, as it always did).
     */
    @Override
    public void onInbound(InboundMessage inbound, Destination source) {
        final SipMessage message = inbound.message();
        final SipWorker owner = message == null ? byId[0] : byId[WorkerKey.of(message, byId.length)];
        if (owner.loop().inEventLoop()) {
            owner.inbound().onInbound(inbound, source);
        } else {
            owner.loop().execute(() -> owner.inbound().onInbound(inbound, source));
        }
    }

    /** The worst lag of any worker's loop in its last complete 10 s window, in seconds. */
    public double worstLagSeconds() {
        double worst = 0;
        for (SipWorker w : byId) {
            worst = Math.max(worst, w.loopLag().lastWindowWorstSeconds());
        }
        return worst;
    }

    @Override
    public int activeCalls() {
        int sum = 0;
        for (SipWorker w : byId) {
            sum += w.b2bua().stats().activeCalls;
        }
        return sum;
    }

    @Override
    public int pendingCalls() {
        int sum = 0;
        for (SipWorker w : byId) {
            sum += w.b2bua().stats().pendingCalls;
        }
        return sum;
    }

    /** The B2BUA counters summed over workers (a snapshot). */
    public B2buaStats b2buaStats() {
        final B2buaStats sum = new B2buaStats();
        for (SipWorker w : byId) {
            sum.add(w.b2bua().stats());
        }
        return sum;
    }

    /** The transaction counters summed over workers (a snapshot). */
    public TransactionStats transactionStats() {
        final TransactionStats sum = new TransactionStats();
        for (SipWorker w : byId) {
            sum.add(w.transactions().stats());
        }
        return sum;
    }

    /** The counters of malformed input summed over workers (a snapshot). */
    public InboundStats inboundStats() {
        final InboundStats sum = new InboundStats();
        for (SipWorker w : byId) {
            sum.add(w.inbound().stats());
        }
        return sum;
    }

    /** Transactions kept now, over all workers. */
    public int transactions() {
        int sum = 0;
        for (SipWorker w : byId) {
            sum += w.transactions().size();
        }
        return sum;
    }

    /** Stops taking new calls on every worker: INVITEs get 503 from now on. */
    public void drain() {
        for (SipWorker w : byId) {
            w.b2bua().drain();
        }
    }
}
