package org.callrouter.server.transport;

/**
 * Sends encoded SIP messages. Implementations never block and are called only on the event
 * loop of the SIP worker that owns the message; a message that cannot be delivered is reported
 * to the listener, if any, on that loop.
 */
public interface SipSender {

    /**
     * @param destination where to send.
     * @param message     the encoded message; not modified or retained after the call returns
     *                    except by the transport's own queue.
     * @param onFailure   told when the transport knows the message did not go (a TCP connect
     *                    or write failure); may be null.
     */
    void send(Destination destination, byte[] message, SendFailureListener onFailure);

    /** Told on the sending worker's event loop that a message could not be sent. */
    @FunctionalInterface
    interface SendFailureListener {
        void onSendFailure(Destination destination, Throwable cause);
    }
}
