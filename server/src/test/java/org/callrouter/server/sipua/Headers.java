package org.callrouter.server.sipua;

import gov.nist.javax.sip.header.SIPHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sip.header.Header;
import javax.sip.message.Message;

/**
 * The header fields of a received SIP message, looked up by name without regard to case
 * (RFC 3261 section 7.3.1). jain-sip expands compact forms while parsing, so {@code i:} is found
 * as {@code Call-ID}.
 */
public final class Headers {
    private final Map<String, List<String>> valuesByName;

    private Headers(Map<String, List<String>> valuesByName) {
        this.valuesByName = valuesByName;
    }

    /** Copies every header field of {@code message}, in message order. */
    static Headers of(Message message) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Iterator<?> names = message.getHeaderNames(); names.hasNext(); ) {
            String name = (String) names.next();
            List<String> list = values.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>());
            for (Iterator<?> fields = message.getHeaders(name); fields.hasNext(); ) {
                list.add(valueOf((Header) fields.next()));
            }
        }
        values.replaceAll((name, list) -> List.copyOf(list));
        return new Headers(Collections.unmodifiableMap(values));
    }

    /** The first value of the header field {@code name}, or {@code null} when the message has none. */
    public String first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of the header field {@code name}, in message order (empty when absent). */
    public List<String> all(String name) {
        return valuesByName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** Whether the message has the header field {@code name}. */
    public boolean has(String name) {
        return !all(name).isEmpty();
    }

    @Override
    public String toString() {
        return valuesByName.toString();
    }

    static String body(Message message) {
        byte[] raw = message.getRawContent();
        return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }

    private static String valueOf(Header header) {
        if (header instanceof SIPHeader sipHeader) {
            return sipHeader.getHeaderValue().trim();
        }
        String text = header.toString();
        return text.substring(text.indexOf(':') + 1).trim();
    }
}
