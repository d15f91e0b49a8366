package org.callrouter.server.b2bua;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.callrouter.server.callback.CallbackDialer;
import org.callrouter.server.callback.CallbackListener;
import org.callrouter.server.callback.CallbackOutcome;
import org.callrouter.server.callback.CallbackRequest;

/**
 * The {@link CallbackDialer} of a running router: each try goes to the SIP loop that owns the
 * B2BUA ({@link B2bua#dial}), so it may be called from any thread (the callback scheduler's).
 */
public final class B2buaCallbackDialer implements CallbackDialer {

    private final B2bua b2bua;
    private final Executor sipLoop;

    /** @param sipLoop the event loop the B2BUA runs on */
    public B2buaCallbackDialer(B2bua b2bua, Executor sipLoop) {
        this.b2bua = b2bua;
        this.sipLoop = sipLoop;
    }

    @Override
    public void dial(CallbackRequest request, CallbackListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        try {
            sipLoop.execute(() -> b2bua.dial(request, listener));
        } catch (RejectedExecutionException e) {
            // The loop has stopped: there is no other thread to tell it on.
            listener.onOutcome(new CallbackOutcome(CallbackOutcome.Result.FAILED, null, "router stopped"));
        }
    }
}
