package org.callrouter.server.callback;

/** Receives the outcome of one {@link CallbackDialer#dial} try. */
public interface CallbackListener {
    /** Called exactly once per try, on the SIP loop thread. */
    void onOutcome(CallbackOutcome outcome);
}
