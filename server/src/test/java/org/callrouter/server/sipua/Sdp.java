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

    /**
     * A description of {@link #audio} plus {@code candidates} ICE candidate lines (RFC 8839), about
     * 70 bytes each: what makes real offers (ICE, video, many codecs) outgrow a datagram.
     */
    public static String withCandidates(String origin, int candidates) {
        final StringBuilder sdp = new StringBuilder(audio(origin, 1));
        for (int i = 0; i < candidates; i++) {
            sdp.append("a=candidate:").append(i).append(" 1 UDP ").append(2_130_706_431 - i)
                    .append(" 127.0.0.1 ").append(AUDIO_PORT + 2 * i).append(" typ host\r\n");
        }
        return sdp.toString();
    }
}
