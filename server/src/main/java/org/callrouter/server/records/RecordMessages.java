package org.callrouter.server.records;

import org.callrouter.routing.criteria.BuiltinTag;

/**
 * Message types of the record ring buffer and their layouts. Numbers are native-order
 * {@code long}/{@code int}; {@code str} is an {@link EventStrings} string.
 *
 * <pre>
 * RECEIVED         atMs routingNs | str callId key caller dialed campaign source | int tags, (name value)*
 * SKIPPED          str callId handler reason
 * ATTEMPT_STARTED  atMs | str callId handler
 * ATTEMPT_ENDED    atMs int result sipStatus | str callId handler
 * ANSWERED         atMs | str callId handler
 * ENDED            atMs ringMs talkMs int status sipStatus | str callId reason | int hasConversion,
 *                  (int status, str amount reason) for the source side then the handler side
 * POSTBACK         ticket atMs | str callId key journalLine      (from the admin API)
 * LOOKUP           ticket | str callId                           (from the admin API)
 * VISITOR          str callId session | int pages, str page*      (a pool visitor's session and page path)
 * CALLBACK         int attempt | str callId callbackId lostCallId (a lost call's callback)
 * </pre>
 *
 * A tag's name is a {@code str}, or for a built-in tag the int {@link #BUILTIN_NAME} minus its
 * {@link BuiltinTag} ordinal; its value is a {@code str}, or the int {@link #SAME_AS_FIELD} when it
 * is the event's own field of that name ({@code caller_number} is {@code caller},
 * {@code dialed_number} is {@code dialed}, {@code source}, {@code campaign}). A routed call's
 * seven built-in tags then cost 56 bytes instead of some 150, and no encoding.
 */
final class RecordMessages {

    static final int RECEIVED = 1;
    static final int SKIPPED = 2;
    static final int ATTEMPT_STARTED = 3;
    static final int ATTEMPT_ENDED = 4;
    static final int ANSWERED = 5;
    static final int ENDED = 6;
    static final int POSTBACK = 7;
    static final int LOOKUP = 8;
    static final int VISITOR = 9;
    static final int CALLBACK = 10;

    /** A tag value that repeats the event's field of the same meaning. */
    static final int SAME_AS_FIELD = -2;
    /** Built-in tag names are {@code BUILTIN_NAME - ordinal}. */
    static final int BUILTIN_NAME = -16;
    /** The built-in tags' names, by ordinal (the very instances routing-core puts in a call's tags). */
    static final String[] BUILTIN_NAMES = builtinNames();

    /** Names for logs and the dropped-events metric, indexed by type. */
    private static final String[] NAMES = {
        "?", "received", "skipped", "attempt_started", "attempt_ended", "answered", "ended", "postback", "lookup",
        "visitor", "callback"
    };

    private RecordMessages() {
    }

    private static String[] builtinNames() {
        final BuiltinTag[] tags = BuiltinTag.values();
        final String[] names = new String[tags.length];
        for (BuiltinTag tag : tags) {
            names[tag.ordinal()] = tag.tagName();
        }
        return names;
    }

    static String name(int type) {
        return type > 0 && type < NAMES.length ? NAMES[type] : "?";
    }

    /** How many types there are (for arrays indexed by type). */
    static int count() {
        return NAMES.length;
    }
}
