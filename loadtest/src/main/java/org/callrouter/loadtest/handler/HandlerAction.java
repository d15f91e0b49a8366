package org.callrouter.loadtest.handler;

/** What a handler does with one INVITE, drawn per call from its {@link HandlerBehaviour}. */
public enum HandlerAction {
    /** 200 OK with SDP after the answer delay (a 180 first when the port rings). */
    ANSWER,
    /** 180 Ringing and nothing more: only a CANCEL ends it (200 to the CANCEL, 487 to the INVITE). */
    NO_ANSWER,
    /** 486 Busy Here (or the port's busy status) after the answer delay (a 180 first when the port rings). */
    BUSY
}
