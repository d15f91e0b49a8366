package org.callrouter.server.workers;

import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.SingleThreadEventLoop;
import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.SipSender;

/**
 * The sender of a SIP worker that does not run on the transport's loop. What the worker sends
 * during one iteration of its loop is handed to the transport's loop in one task at the end of
 * that iteration, as the transport batches its own flushes: so a message never leaves before
 * the state change that sent it is complete (a peer that sees our answer finds the call already
 * in its new state), a burst costs one hand-off, and one worker's messages leave in order. The
 * transport's loop owns the sockets, the connection table and the flush; a send failure comes
 * back on the worker's loop, where its transaction lives. Used on the worker's loop only.
 */
public final class LoopSender implements SipSender {

    private final SipSender transport;
    private final Executor transportLoop;
    private final SingleThreadEventLoop workerLoop;
    private final Runnable handOff = this::handOff;
    private ArrayList<Outgoing> batch = new ArrayList<>();

    public LoopSender(SipSender transport, Executor transportLoop, SingleThreadEventLoop workerLoop) {
        this.transport = transport;
        this.transportLoop = transportLoop;
        this.workerLoop = workerLoop;
    }

    @Override
    public void send(Destination destination, byte[] message, SendFailureListener onFailure) {
        if (batch.isEmpty()) {
            workerLoop.executeAfterEventLoopIteration(handOff);
        }
        batch.add(new Outgoing(destination, message, onFailure));
    }

    private void handOff() {
        final ArrayList<Outgoing> out = batch;
        batch = new ArrayList<>();
        try {
            transportLoop.execute(() -> {
                for (int i = 0, n = out.size(); i < n; i++) {
                    final Outgoing o = out.get(i);
                    transport.send(o.destination, o.message, o.onFailure == null ? null
                            : (to, cause) -> backOnWorker(o.onFailure, to, cause));
                }
            });
        } catch (RejectedExecutionException e) {
            // The transport has stopped (shutdown): the messages cannot go.
            for (Outgoing o : out) {
                if (o.onFailure != null) {
                    o.onFailure.onSendFailure(o.destination, e);
                }
            }
        }
    }

    private void backOnWorker(SendFailureListener onFailure, Destination to, Throwable cause) {
        try {
            workerLoop.execute(() -> onFailure.onSendFailure(to, cause));
        } catch (RejectedExecutionException e) {
            // The worker has stopped: its transactions are gone with it.
        }
    }

    private record Outgoing(Destination destination, byte[] message, SendFailureListener onFailure) {
    }
}
