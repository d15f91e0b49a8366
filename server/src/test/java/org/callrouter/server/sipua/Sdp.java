package org.callrouter.server.sipua;

/**
 * Session descriptions (RFC 4566) the test peers offer and answer with: one PCMU audio stream on
 * loopback. The router never touches media, so the port only has to be well formed.
 */
public final class Sdp {
    /** The audio port every description names (RFC 4566's example port). */
    public static final int AUDIO_PORT = 49170;

    private Sdp() {
    }

    /**
     * A description for {@code origin} (the {@code o=} user name) with session version
     * {@code version}: a re-INVITE's offer must raise the version (RFC 3264 section 8).
     */
    public static String audio(String origin, long version) {
        return "v=0\r\n"
                + "o=" + origin + " 2890844526 " + version + " IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=audio " + AUDIO_PORT + " RTP/AVP 0\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n";
    }
}
