package org.callrouter.routing.phone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The North American Numbering Plan's area codes: for each, its country and its US state,
 * territory or Canadian province. Loaded once from {@code nanp-area-codes.tsv} (see the
 * file's header for where it comes from) into arrays indexed by area code, so a lookup is
 * two array reads.
 */
public final class NanpAreaCodes {

    private static final String RESOURCE = "nanp-area-codes.tsv";
    private static final String[] STATES = new String[1000];
    private static final String[] COUNTRIES = new String[1000];
    private static final String[] AREA_CODES = new String[1000];
    private static final int COUNT;

    static {
        int count = 0;
        try (InputStream in = NanpAreaCodes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                int code = Integer.parseInt(fields[0]);
                COUNTRIES[code] = fields[1].intern();
                STATES[code] = fields.length > 2 && !fields[2].isEmpty() ? fields[2].intern() : null;
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < 1000; i++) {
            AREA_CODES[i] = String.format("%03d", i);
        }
        COUNT = count;
    }

    private NanpAreaCodes() {
    }

    /** The state, territory or province code ({@code CA}, {@code ON}, {@code PR}), or {@code null}. */
    public static String state(int areaCode) {
        return areaCode >= 0 && areaCode < 1000 ? STATES[areaCode] : null;
    }

    /** ISO 3166 alpha-2 country of the area code, or {@code null} when it is not assigned. */
    public static String country(int areaCode) {
        return areaCode >= 0 && areaCode < 1000 ? COUNTRIES[areaCode] : null;
    }

    /** The area code as three digits (a shared string: no allocation per call). */
    public static String text(int areaCode) {
        return AREA_CODES[areaCode];
    }

    /** How many area codes the table holds. */
    public static int size() {
        return COUNT;
    }
}
