package org.callrouter.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.callrouter.sip.syntax.SipChars;

/**
 * A SIP request method: an open enumeration in the style of Netty's {@code HttpMethod}. The
 * well-known methods are cached constants; any other token gives a new instance. Methods are
 * case-sensitive (RFC 3261 7.1), so {@code "invite"} is not {@link #INVITE}.
 */
public final class SipMethod {

    /** Initiates a session (RFC 3261 13). */
    public static final SipMethod INVITE = new SipMethod("INVITE");
    /** Confirms a final response to INVITE (RFC 3261 13.2.2.4, 17.1.1.3). */
    public static final SipMethod ACK = new SipMethod("ACK");
    /** Ends a session (RFC 3261 15). */
    public static final SipMethod BYE = new SipMethod("BYE");
    /** Cancels a pending request (RFC 3261 9). */
    public static final SipMethod CANCEL = new SipMethod("CANCEL");
    /** Queries capabilities (RFC 3261 11). */
    public static final SipMethod OPTIONS = new SipMethod("OPTIONS");
    /** Mid-session information, e.g. DTMF (RFC 6086). */
    public static final SipMethod INFO = new SipMethod("INFO");
    /** Updates session parameters before the final answer (RFC 3311). */
    public static final SipMethod UPDATE = new SipMethod("UPDATE");
    /** Registers contact addresses (RFC 3261 10). */
    public static final SipMethod REGISTER = new SipMethod("REGISTER");
    /** Acknowledges a reliable provisional response (RFC 3262). */
    public static final SipMethod PRACK = new SipMethod("PRACK");
    /** Subscribes to an event package (RFC 6665). */
    public static final SipMethod SUBSCRIBE = new SipMethod("SUBSCRIBE");
    /** Notifies a subscriber (RFC 6665). */
    public static final SipMethod NOTIFY = new SipMethod("NOTIFY");
    /** Asks the recipient to contact a third party (RFC 3515). */
    public static final SipMethod REFER = new SipMethod("REFER");
    /** Carries an instant message (RFC 3428). */
    public static final SipMethod MESSAGE = new SipMethod("MESSAGE");
    /** Publishes event state (RFC 3903). */
    public static final SipMethod PUBLISH = new SipMethod("PUBLISH");

    private static final SipMethod[] KNOWN = {
        INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, REGISTER, PRACK, SUBSCRIBE, NOTIFY,
        REFER, MESSAGE, PUBLISH,
    };

    private final String name;
    private final byte[] bytes;

    private SipMethod(String name) {
        this.name = name;
        this.bytes = name.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The method named {@code name}: the cached constant for a well-known method, else a new
     * instance.
     *
     * @throws IllegalArgumentException when {@code name} is not a token
     */
    public static SipMethod of(CharSequence name) {
        for (SipMethod m : KNOWN) {
            if (m.name.contentEquals(name)) {
                return m;
            }
        }
        if (!SipChars.isToken(name)) {
            throw new IllegalArgumentException("not a method token: '" + name + "'");
        }
        return new SipMethod(name.toString());
    }

    /**
     * The method whose name is the token in [start, end): the cached constant when well known
     * (no allocation), else a new instance. The caller has checked that the range is a token.
     */
    public static SipMethod of(byte[] a, int start, int end) {
        SipMethod known = lookup(a, start, end);
        return known != null ? known : new SipMethod(new String(a, start, end - start,
                StandardCharsets.ISO_8859_1));
    }

    /** The well-known method named by [start, end), or null. Allocates nothing. */
    public static SipMethod lookup(byte[] a, int start, int end) {
        for (SipMethod m : KNOWN) {
            if (m.matches(a, start, end)) {
                return m;
            }
        }
        return null;
    }

    /** Whether [start, end) spells this method exactly. */
    public boolean matches(byte[] a, int start, int end) {
        if (end - start != bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (a[start + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /** The method name as written on the wire. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SipMethod && ((SipMethod) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
