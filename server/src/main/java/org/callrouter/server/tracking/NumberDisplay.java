package org.callrouter.server.tracking;

import java.util.HashMap;
import java.util.Map;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * How a pool number is shown to a visitor ({@code "display"} in a session answer): a North
 * American number as {@code (800) 555-0200} without libphonenumber; any other in
 * libphonenumber's international format ({@code +44 20 7946 0000}), remembered per number (the
 * numbers are the configuration's pool and overflow numbers, so the memory is bounded by it; a
 * reload's gone numbers are dropped when the map reaches {@value #MAX_REMEMBERED}). Confined to
 * the tracking event loop.
 */
final class NumberDisplay {

    static final int MAX_REMEMBERED = 200_000;
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final Map<String, String> formatted = new HashMap<>();

    /** The display form of an E.164 number ({@code +18005550200}). */
    String of(String e164) {
        if (e164.length() == 12 && e164.startsWith("+1")) {
            return "(" + e164.substring(2, 5) + ") " + e164.substring(5, 8) + "-" + e164.substring(8);
        }
        String display = formatted.get(e164);
        if (display == null) {
            if (formatted.size() >= MAX_REMEMBERED) {
                formatted.clear();
            }
            display = international(e164);
            formatted.put(e164, display);
        }
        return display;
    }

    private static String international(String e164) {
        try {
            return UTIL.format(UTIL.parse(e164, "ZZ"), PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
        } catch (NumberParseException e) {
            return e164;
        }
    }
}
