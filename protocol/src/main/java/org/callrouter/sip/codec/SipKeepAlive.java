package org.callrouter.sip.codec;

/**
 * The user event {@link SipStreamDecoder} fires when a connection sends the double-CRLF
 * keep-alive ping of RFC 5626 4.4.1 between messages; the server answers it with a single CRLF
 * (the pong).
 */
public enum SipKeepAlive {
    /** A CRLFCRLF ping arrived. */
    PING
}
