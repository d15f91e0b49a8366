package org.callrouter.server.workers;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.callrouter.server.transport.Destination;
import org.callrouter.server.transport.SipSender;

/**
 * The sender of a SIP worker that does not run on the transport's loop: each message is handed
 * to that loop, which owns the sockets, the connection table and the batched flush; a send
 * failure comes back on the worker's loop, where its transaction lives. Messages of one worker
 * leave in the order it sent them.
 */
public final class LoopSender implements SipSender {

    private final SipSender transport;
    private final Executor transportLoop;
    private final Executor workerLoop;

    public LoopSender(SipSender transport, Executor transportLoop, Executor workerLoop) {
        this.transport = transport;
        this.transportLoop = transportLoop;
        this.workerLoop = workerLoop;
    }

    @Override
    public void send(Destination destination, byte[] message, SendFailureListener onFailure) {
        final SendFailureListener back = onFailure == null ? null
                : (to, cause) -> backOnWorker(onFailure, to, cause);
        try {
            transportLoop.execute(() -> transport.send(destination, message, back));
        } catch (RejectedExecutionException e) {
            // The transport has stopped (shutdown): the message cannot go.
            if (onFailure != null) {
                onFailure.onSendFailure(destination, e);
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
}
