package org.callrouter.server.workers;

import java.util.List;

import org.callrouter.server.b2bua.B2buaCallbackDialer;
import org.callrouter.server.callback.CallbackDialer;
import org.callrouter.server.callback.CallbackListener;
import org.callrouter.server.callback.CallbackRequest;

/**
 * Places each callback try on one SIP worker, picked by the callback's id, so callbacks spread
 * over the workers like carriers' calls; the legs it makes carry that worker's mark in their
 * Call-IDs and branches, so everything they bring back reaches it.
 */
public final class WorkerCallbackDialer implements CallbackDialer {

    private final CallbackDialer[] dialers;

    public WorkerCallbackDialer(SipWorkers workers) {
        final List<SipWorker> all = workers.all();
        this.dialers = new CallbackDialer[all.size()];
        for (int i = 0; i < dialers.length; i++) {
            dialers[i] = new B2buaCallbackDialer(all.get(i).b2bua(), all.get(i).loop());
        }
    }

    @Override
    public void dial(CallbackRequest request, CallbackListener listener) {
        final int worker = request == null || request.callbackId() == null ? 0 : Math.floorMod(request.callbackId().hashCode(), dialers.length);
        dialers[worker].dial(request, listener);
    }
}
