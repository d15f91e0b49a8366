package org.callrouter.server.recovery;

import java.util.List;

import org.callrouter.server.transport.Transport;

/**
 * What a restarted router needs to send an in-dialog BYE on one leg of a call it lost
 * (RFC 3261 12.2.1.1): the dialog's identifiers, the remote target and route set, where the
 * request goes, and the last local CSeq it knew of.
 *
 * @param callId       the dialog's Call-ID.
 * @param localHeader  our From value (as UAC) or To value (as UAS), with our tag.
 * @param remoteHeader the peer's To value (as UAC) or From value (as UAS), with its tag.
 * @param remoteTarget the peer's Contact URI: the Request-URI of the BYE.
 * @param routeSet     Route header values in the order they go in a request.
 * @param transport    how in-dialog requests went.
 * @param host         the IP address they went to (a literal: recovery does no DNS).
 * @param port         the port they went to.
 * @param localCseq    the last local CSeq number used when the call was stored.
 */
public record LiveLeg(String callId, String localHeader, String remoteHeader, String remoteTarget,
                      List<String> routeSet, Transport transport, String host, int port, long localCseq) {

    public LiveLeg {
        routeSet = List.copyOf(routeSet);
    }
}
