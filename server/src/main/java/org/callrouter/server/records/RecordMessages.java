package org.callrouter.server.records;

/**
 * Message types of the record ring buffer and their layouts. Numbers are native-order
 * {@code long}/{@code int}; {@code str} is an {@link EventStrings} string.
 *
 * <pre>
 * RECEIVED         atMs routingNs | str callId key caller dialed campaign source | int tags, (str name value)*
 * SKIPPED          str callId handler reason
 * ATTEMPT_STARTED  atMs | str callId handler
 * ATTEMPT_ENDED    atMs int result sipStatus | str callId handler
 * ANSWERED         atMs | str callId handler
 * ENDED            atMs ringMs talkMs int status sipStatus | str callId reason | int hasConversion,
 *                  (int status, str amount reason) for the source side then the handler side
 * POSTBACK         ticket atMs | str callId key journalLine      (from the admin API)
 * LOOKUP           ticket | str callId                           (from the admin API)
 * </pre>
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

    /** Names for logs and the dropped-events metric, indexed by type. */
    private static final String[] NAMES = {
        "?", "received", "skipped", "attempt_started", "attempt_ended", "answered", "ended", "postback", "lookup"
    };

    private RecordMessages() {
    }

    static String name(int type) {
        return type > 0 && type < NAMES.length ? NAMES[type] : "?";
    }

    /** How many types there are (for arrays indexed by type). */
    static int count() {
        return NAMES.length;
    }
}
