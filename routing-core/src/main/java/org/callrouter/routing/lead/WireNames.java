package org.callrouter.routing.lead;

import java.util.Locale;
import java.util.function.Function;

/** Reading the lead package's enums from their JSON/API names, case-insensitively. */
final class WireNames {

    private WireNames() {
    }

    /**
     * The value whose wire name is {@code name}.
     *
     * @param what     what is named, for the message ("credit model")
     * @param allowed  the names to suggest ("first_touch or last_touch")
     * @throws IllegalArgumentException {@code unknown <what> "<name>"; use <allowed>}
     */
    static <E extends Enum<E>> E parse(E[] values, Function<E, String> wireName, String name, String what,
                                       String allowed) {
        if (name != null) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            for (E value : values) {
                if (wireName.apply(value).equals(lower)) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("unknown " + what + " \"" + name + "\"; use " + allowed);
    }
}
