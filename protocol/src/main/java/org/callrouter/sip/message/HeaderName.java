package org.callrouter.sip.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.callrouter.sip.syntax.SipChars;

/**
 * A SIP header field name. Names are case-insensitive (RFC 3261 7.3.1) and some have a compact
 * form (RFC 3261 7.3.3 and the RFCs cited per constant): {@link #of} maps any spelling and the
 * compact form to the cached constant, whose {@link #name()} is the canonical spelling. Unknown
 * names give a new instance that keeps the spelling it was given.
 *
 * <p>Each constant also says whether its value is a comma-separated list (RFC 3261 7.3.1: such
 * a header may be split into several lines and its lines combined) or a single value that must
 * appear at most once.
 */
public final class HeaderName {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int LIST = 1;
    private static final int SINGLE = 2;
    /** Known names by length (up to 31) and first letter: a lookup without hashing. */
    private static final HeaderName[][] BY_SHAPE = new HeaderName[32 * 32][];
    private static final HeaderName[] BY_ID = new HeaderName[128];
    private static int count;

    /** RFC 3261 20.42; compact "v". */
    public static final HeaderName VIA = known("Via", 'v', LIST);
    /** RFC 3261 20.20; compact "f". */
    public static final HeaderName FROM = known("From", 'f', SINGLE);
    /** RFC 3261 20.39; compact "t". */
    public static final HeaderName TO = known("To", 't', SINGLE);
    /** RFC 3261 20.8; compact "i". */
    public static final HeaderName CALL_ID = known("Call-ID", 'i', SINGLE);
    /** RFC 3261 20.16. */
    public static final HeaderName CSEQ = known("CSeq", (char) 0, SINGLE);
    /** RFC 3261 20.10; compact "m". */
    public static final HeaderName CONTACT = known("Contact", 'm', LIST);
    /** RFC 3261 20.22. */
    public static final HeaderName MAX_FORWARDS = known("Max-Forwards", (char) 0, SINGLE);
    /** RFC 3261 20.14; compact "l". */
    public static final HeaderName CONTENT_LENGTH = known("Content-Length", 'l', SINGLE);
    /** RFC 3261 20.15; compact "c". */
    public static final HeaderName CONTENT_TYPE = known("Content-Type", 'c', SINGLE);
    /** RFC 3261 20.34. */
    public static final HeaderName ROUTE = known("Route", (char) 0, LIST);
    /** RFC 3261 20.30. */
    public static final HeaderName RECORD_ROUTE = known("Record-Route", (char) 0, LIST);
    /** RFC 3261 20.32. */
    public static final HeaderName REQUIRE = known("Require", (char) 0, LIST);
    /** RFC 3261 20.37; compact "k". */
    public static final HeaderName SUPPORTED = known("Supported", 'k', LIST);
    /** RFC 3261 20.29. */
    public static final HeaderName PROXY_REQUIRE = known("Proxy-Require", (char) 0, LIST);
    /** RFC 3261 20.40. */
    public static final HeaderName UNSUPPORTED = known("Unsupported", (char) 0, LIST);
    /** RFC 3261 20.5. */
    public static final HeaderName ALLOW = known("Allow", (char) 0, LIST);
    /** RFC 3261 20.1. */
    public static final HeaderName ACCEPT = known("Accept", (char) 0, LIST);
    /** RFC 3261 20.2. */
    public static final HeaderName ACCEPT_ENCODING = known("Accept-Encoding", (char) 0, LIST);
    /** RFC 3261 20.3. */
    public static final HeaderName ACCEPT_LANGUAGE = known("Accept-Language", (char) 0, LIST);
    /** RFC 3261 20.41. */
    public static final HeaderName USER_AGENT = known("User-Agent", (char) 0, SINGLE);
    /** RFC 3261 20.35. */
    public static final HeaderName SERVER = known("Server", (char) 0, SINGLE);
    /** RFC 3326. */
    public static final HeaderName REASON = known("Reason", (char) 0, LIST);
    /** RFC 3261 20.33. */
    public static final HeaderName RETRY_AFTER = known("Retry-After", (char) 0, SINGLE);
    /** RFC 3261 20.19. */
    public static final HeaderName EXPIRES = known("Expires", (char) 0, SINGLE);
    /** RFC 3261 20.23. */
    public static final HeaderName MIN_EXPIRES = known("Min-Expires", (char) 0, SINGLE);
    /** RFC 3261 20.36; compact "s". */
    public static final HeaderName SUBJECT = known("Subject", 's', SINGLE);
    /** RFC 3261 20.12; compact "e". */
    public static final HeaderName CONTENT_ENCODING = known("Content-Encoding", 'e', LIST);
    /** RFC 3261 20.11. */
    public static final HeaderName CONTENT_DISPOSITION = known("Content-Disposition", (char) 0, SINGLE);
    /** RFC 3261 20.13. */
    public static final HeaderName CONTENT_LANGUAGE = known("Content-Language", (char) 0, LIST);
    /** RFC 3261 20.24. */
    public static final HeaderName MIME_VERSION = known("MIME-Version", (char) 0, SINGLE);
    /** RFC 6665 8.2.1; compact "o". */
    public static final HeaderName EVENT = known("Event", 'o', SINGLE);
    /** RFC 6665 8.2.2; compact "u". */
    public static final HeaderName ALLOW_EVENTS = known("Allow-Events", 'u', LIST);
    /** RFC 6665 8.2.3. */
    public static final HeaderName SUBSCRIPTION_STATE = known("Subscription-State", (char) 0, SINGLE);
    /** RFC 3515 2.1; compact "r". */
    public static final HeaderName REFER_TO = known("Refer-To", 'r', SINGLE);
    /** RFC 3892; compact "b". */
    public static final HeaderName REFERRED_BY = known("Referred-By", 'b', SINGLE);
    /** RFC 3891. */
    public static final HeaderName REPLACES = known("Replaces", (char) 0, SINGLE);
    /** RFC 4028; compact "x". */
    public static final HeaderName SESSION_EXPIRES = known("Session-Expires", 'x', SINGLE);
    /** RFC 4028. */
    public static final HeaderName MIN_SE = known("Min-SE", (char) 0, SINGLE);
    /** RFC 3261 20.17. */
    public static final HeaderName DATE = known("Date", (char) 0, SINGLE);
    /** RFC 3261 20.38. */
    public static final HeaderName TIMESTAMP = known("Timestamp", (char) 0, SINGLE);
    /** RFC 3261 20.43. */
    public static final HeaderName WARNING = known("Warning", (char) 0, LIST);
    /** RFC 3261 20.25. */
    public static final HeaderName ORGANIZATION = known("Organization", (char) 0, SINGLE);
    /** RFC 3261 20.26. */
    public static final HeaderName PRIORITY = known("Priority", (char) 0, SINGLE);
    /** RFC 3261 20.31. */
    public static final HeaderName REPLY_TO = known("Reply-To", (char) 0, SINGLE);
    /** RFC 3261 20.21. */
    public static final HeaderName IN_REPLY_TO = known("In-Reply-To", (char) 0, LIST);
    /** RFC 3261 20.4. */
    public static final HeaderName ALERT_INFO = known("Alert-Info", (char) 0, LIST);
    /** RFC 3261 20.9. */
    public static final HeaderName CALL_INFO = known("Call-Info", (char) 0, LIST);
    /** RFC 3261 20.18. */
    public static final HeaderName ERROR_INFO = known("Error-Info", (char) 0, LIST);
    /** RFC 3261 20.7: may repeat, one credential each; its value holds commas. */
    public static final HeaderName AUTHORIZATION = known("Authorization", (char) 0, 0);
    /** RFC 3261 20.28. */
    public static final HeaderName PROXY_AUTHORIZATION = known("Proxy-Authorization", (char) 0, 0);
    /** RFC 3261 20.44. */
    public static final HeaderName WWW_AUTHENTICATE = known("WWW-Authenticate", (char) 0, 0);
    /** RFC 3261 20.27. */
    public static final HeaderName PROXY_AUTHENTICATE = known("Proxy-Authenticate", (char) 0, 0);
    /** RFC 3261 20.6. */
    public static final HeaderName AUTHENTICATION_INFO = known("Authentication-Info", (char) 0, SINGLE);
    /** RFC 3325 9.1. */
    public static final HeaderName P_ASSERTED_IDENTITY = known("P-Asserted-Identity", (char) 0, LIST);
    /** RFC 3325 9.2. */
    public static final HeaderName P_PREFERRED_IDENTITY = known("P-Preferred-Identity", (char) 0, LIST);
    /** RFC 3323 4.2. */
    public static final HeaderName PRIVACY = known("Privacy", (char) 0, SINGLE);
    /** draft-ietf-sip-privacy-04, still sent by carriers. */
    public static final HeaderName REMOTE_PARTY_ID = known("Remote-Party-ID", (char) 0, LIST);
    /** RFC 5806. */
    public static final HeaderName DIVERSION = known("Diversion", (char) 0, LIST);
    /** RFC 7044. */
    public static final HeaderName HISTORY_INFO = known("History-Info", (char) 0, LIST);
    /** RFC 3327. */
    public static final HeaderName PATH = known("Path", (char) 0, LIST);
    /** RFC 3608. */
    public static final HeaderName SERVICE_ROUTE = known("Service-Route", (char) 0, LIST);
    /** RFC 3262 7.1. */
    public static final HeaderName RSEQ = known("RSeq", (char) 0, SINGLE);
    /** RFC 3262 7.2. */
    public static final HeaderName RACK = known("RAck", (char) 0, SINGLE);
    /** RFC 3841 9.2; compact "a". */
    public static final HeaderName ACCEPT_CONTACT = known("Accept-Contact", 'a', LIST);
    /** RFC 3841 9.2; compact "j". */
    public static final HeaderName REJECT_CONTACT = known("Reject-Contact", 'j', LIST);
    /** RFC 3841 9.1; compact "d". */
    public static final HeaderName REQUEST_DISPOSITION = known("Request-Disposition", 'd', LIST);
    /** RFC 8224; compact "y". */
    public static final HeaderName IDENTITY = known("Identity", 'y', 0);
    /** RFC 4474 (obsolete); compact "n". */
    public static final HeaderName IDENTITY_INFO = known("Identity-Info", 'n', SINGLE);
    /** RFC 3903 11.3.1. */
    public static final HeaderName SIP_ETAG = known("SIP-ETag", (char) 0, SINGLE);
    /** RFC 3903 11.3.2. */
    public static final HeaderName SIP_IF_MATCH = known("SIP-If-Match", (char) 0, SINGLE);

    private final String name;
    private final String lower;
    private final byte[] lowerBytes;
    /** The lower-case name as little-endian words at offsets 0, 8, ... and length - 8 (see {@link #matches}). */
    private final long[] words;
    /** Per word, 0x20 in each byte that is a letter: OR-ing it into input bytes folds their case. */
    private final long[] caseBits;
    private final char compact;
    private final int flags;
    private final int id;

    private HeaderName(String name, char compact, int flags, int id) {
        this.name = name;
        this.lower = name.toLowerCase(Locale.ROOT);
        this.lowerBytes = lower.getBytes(StandardCharsets.ISO_8859_1);
        int n = lowerBytes.length <= Long.BYTES ? 1 : (lowerBytes.length + Long.BYTES - 1) / Long.BYTES;
        this.words = new long[n];
        this.caseBits = new long[n];
        for (int w = 0; w < n; w++) {
            int offset = wordOffset(w, lowerBytes.length);
            for (int k = 0; k < Long.BYTES && offset + k < lowerBytes.length; k++) {
                long b = lowerBytes[offset + k] & 0xFF;
                words[w] |= b << (8 * k);
                if (b >= 'a' && b <= 'z') {
                    caseBits[w] |= 0x20L << (8 * k);
                }
            }
        }
        this.compact = compact;
        this.flags = flags;
        this.id = id;
    }

    private static HeaderName known(String name, char compact, int flags) {
        HeaderName h = new HeaderName(name, compact, flags, count);
        BY_ID[count++] = h;
        insert(h.lower, h);
        if (compact != 0) {
            insert(String.valueOf(compact), h);
        }
        return h;
    }

    private static void insert(String key, HeaderName h) {
        int shape = shape(key.length(), key.charAt(0));
        HeaderName[] old = BY_SHAPE[shape];
        HeaderName[] grown = old == null ? new HeaderName[1] : Arrays.copyOf(old, old.length + 1);
        grown[grown.length - 1] = h;
        BY_SHAPE[shape] = grown;
    }

    private static int shape(int length, int first) {
        return (length & 31) << 5 | (first & 31);
    }

    /**
     * The header named {@code name} in any case or compact form: the cached constant when known,
     * else a new instance keeping the given spelling.
     *
     * @throws IllegalArgumentException when {@code name} is not a token
     */
    public static HeaderName of(CharSequence name) {
        HeaderName[] candidates = name.length() == 0 || name.length() > 31 ? null
                : BY_SHAPE[shape(name.length(), name.charAt(0))];
        if (candidates != null) {
            for (HeaderName c : candidates) {
                if (c.matches(name)) {
                    return c;
                }
            }
        }
        if (!SipChars.isToken(name)) {
            throw new IllegalArgumentException("not a header name token: '" + name + "'");
        }
        return new HeaderName(name.toString(), (char) 0, 0, -1);
    }

    /** The known header named by the bytes [start, end) in any case or compact form, or null. */
    public static HeaderName lookup(byte[] a, int start, int end) {
        int length = end - start;
        if (length <= 0 || length > 31) {
            return null;
        }
        HeaderName[] candidates = BY_SHAPE[shape(length, a[start])];
        if (candidates != null) {
            for (HeaderName c : candidates) {
                if (c.matches(a, start, end)) {
                    return c;
                }
            }
        }
        return null;
    }

    private boolean matches(CharSequence s) {
        if (s.length() == 1 && compact != 0) {
            return Character.toLowerCase(s.charAt(0)) == compact;
        }
        if (s.length() != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (Character.toLowerCase(s.charAt(i)) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Where word {@code w} of a name of {@code length} bytes starts: the last one ends with the name. */
    private static int wordOffset(int w, int length) {
        return length <= Long.BYTES ? 0 : Math.min(w * Long.BYTES, length - Long.BYTES);
    }

    private boolean matches(byte[] a, int start, int end) {
        int length = end - start;
        if (length == 1 && compact != 0) {
            return SipChars.lower(a[start]) == compact;
        }
        if (length != lowerBytes.length) {
            return false;
        }
        if (start + Long.BYTES <= a.length) {
            // eight bytes at a time; a short name's word is cut to its length
            long lengthMask = length >= Long.BYTES ? -1L : (1L << (8 * length)) - 1;
            for (int w = 0; w < words.length; w++) {
                long word = (long) LONGS.get(a, start + wordOffset(w, length)) & lengthMask;
                if ((word | caseBits[w]) != words[w]) {
                    return false;
                }
            }
            return true;
        }
        byte[] expected = lowerBytes;
        if (end - start != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            byte b = a[start + i];
            if (b != expected[i] && (b | 0x20) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** The canonical spelling, e.g. "Call-ID"; for an unknown header, the spelling given. */
    public String name() {
        return name;
    }

    /** The compact form (RFC 3261 7.3.3), or 0 when there is none. */
    public char compactForm() {
        return compact;
    }

    /** Whether the value is a comma-separated list (RFC 3261 7.3.1). */
    public boolean isListValued() {
        return (flags & LIST) != 0;
    }

    /** Whether the header may appear at most once in a message. */
    public boolean isSingleValued() {
        return (flags & SINGLE) != 0;
    }

    /** Whether this is one of the cached, known names. */
    public boolean isKnown() {
        return id >= 0;
    }

    /** Index of a known name (0..), or -1: lets a message index its headers with ints. */
    int id() {
        return id;
    }

    /** The known name with index {@code id}. */
    static HeaderName byId(int id) {
        return BY_ID[id];
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof HeaderName && ((HeaderName) o).lower.equals(lower);
    }

    @Override
    public int hashCode() {
        return lower.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
