package org.callrouter.server.transaction;

import org.callrouter.sip.message.SipMethod;

/** Told of every request received and response sent, for metrics. Called on the SIP loop; must not block. */
public interface MessageCounters {

    void requestReceived(SipMethod method);

    void responseSent(int status);

    /** Counts nothing. */
    MessageCounters NONE = new MessageCounters() {
        @Override
        public void requestReceived(SipMethod method) {
        }

        @Override
        public void responseSent(int status) {
        }
    };
}
