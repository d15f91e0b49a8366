package org.callrouter.sip.uri;

import java.util.Arrays;
import java.util.Locale;
import org.callrouter.sip.syntax.ParamScanner;
import org.callrouter.sip.syntax.SipLexer;

/**
 * An ordered, immutable list of name/value parameters as read from a URI
 * ({@code ;name=value}, {@code ?name=value}) or a header field ({@code ;name=value}). Names
 * compare case-insensitively; a parameter without a value has a null value. Values are
 * unescaped (URIs) or unquoted (header quoted-strings).
 */
public final class Parameters {

    /** No parameters. */
    public static final Parameters NONE = new Parameters(new String[0], new String[0], 0);

    /** Parameter names common enough to be shared instead of allocated on every parse. */
    private static final String[] COMMON_NAMES = {
        "tag", "branch", "rport", "received", "transport", "lr", "user", "maddr", "ttl", "expires", "q", "method",
    };

    private final String[] names;
    private final String[] values;
    private final int size;

    /** Parameters in the first {@code size} entries of the arrays, which are not copied. */
    private Parameters(String[] names, String[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    /**
     * The header field parameters in [start, end) of an already validated value, e.g. the
     * {@code ;tag=1;x="y"} after a name-addr.
     */
    public static Parameters ofHeader(byte[] a, int start, int end) {
        ParamScanner scanner = new ParamScanner();
        String[] names = new String[4];
        String[] values = new String[4];
        int n = 0;
        for (int p = scanner.next(a, start, end); p >= 0; p = scanner.next(a, p, end)) {
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            names[n] = name(a, scanner.nameStart, scanner.nameEnd, false);
            values[n++] = scanner.value(a);
        }
        return n == 0 ? NONE : new Parameters(names, values, n);
    }

    /**
     * The URI parameters or headers in [start, end) of an already validated URI: entries
     * separated by {@code separator} (';' or '&'), each {@code name[=value]}, escapes decoded.
     * The range starts just after the first separator (or '?').
     */
    static Parameters ofUri(byte[] a, int start, int end, byte separator) {
        if (start >= end) {
            return NONE;
        }
        int n = 1;
        for (int p = start; p < end; p++) {
            if (a[p] == separator) {
                n++;
            }
        }
        String[] names = new String[n];
        String[] values = new String[n];
        int i = 0;
        int p = start;
        while (i < n) {
            int stop = SipLexer.indexOf(a, p, end, separator);
            if (stop < 0) {
                stop = end;
            }
            int eq = SipLexer.indexOf(a, p, stop, (byte) '=');
            names[i] = name(a, p, eq < 0 ? stop : eq, true);
            values[i++] = eq < 0 ? null : SipLexer.unescape(a, eq + 1, stop);
            p = stop + 1;
        }
        return new Parameters(names, values, n);
    }

    /**
     * The name in [start, end): a shared constant when it is spelled exactly as a common one,
     * else a new String, unescaped when {@code escaped} (a URI parameter).
     */
    private static String name(byte[] a, int start, int end, boolean escaped) {
        for (String common : COMMON_NAMES) {
            if (SipLexer.regionEquals(a, start, end, common)) {
                return common;
            }
        }
        return escaped ? SipLexer.unescape(a, start, end) : SipLexer.ascii(a, start, end);
    }

    /** The number of parameters. */
    public int size() {
        return size;
    }

    /** The name of parameter {@code i}. */
    public String name(int i) {
        return names[check(i)];
    }

    /** The value of parameter {@code i}, or null when it has none. */
    public String value(int i) {
        return values[check(i)];
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("parameter " + i + " of " + size);
        }
        return i;
    }

    /** Whether a parameter named {@code name} (any case) is present. */
    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /**
     * The value of the first parameter named {@code name} (any case); null when absent or when
     * it has no value (use {@link #has} to tell them apart).
     */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    private int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Parameters)) {
            return false;
        }
        Parameters p = (Parameters) o;
        return Arrays.equals(p.names, 0, p.size, names, 0, size) && Arrays.equals(p.values, 0, p.size, values, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = h * 31 + names[i].hashCode() * 17 + (values[i] == null ? 0 : values[i].hashCode());
        }
        return h;
    }

    /** The parameters as {@code name=value} pairs joined by ';', for diagnostics. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.append(';').append(names[i].toLowerCase(Locale.ROOT));
            if (values[i] != null) {
                sb.append('=').append(values[i]);
            }
        }
        return sb.toString();
    }
}
