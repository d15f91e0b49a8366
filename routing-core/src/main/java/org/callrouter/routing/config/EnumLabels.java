package org.callrouter.routing.config;

import java.util.Locale;

/**
 * How enum constants are written in the configuration, records and the API: lower case with
 * {@code -} for {@code _} ({@code NO_ANSWER} is {@code no-answer}); read back with either
 * separator, in any case.
 */
public final class EnumLabels {

    private EnumLabels() {
    }

    /** The constant's label ({@code gave-up}). */
    public static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} labelled {@code text}, or null. */
    public static <E extends Enum<E>> E of(Class<E> type, String text) {
        final String wanted = text.replace('_', '-');
        for (E constant : type.getEnumConstants()) {
            if (label(constant).equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        return null;
    }
}
