package org.callrouter.routing.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The credited session, as the store's SQL ranking picks it (server {@code Credit}). */
class CreditModelTest {

    /** A session: its start, and a name standing for its kind and id order. */
    private record S(long startedMs, String name) {
    }

    // In the order the store reads a lead's sessions: start time, then kind and id.
    private static final List<S> SESSIONS = List.of(new S(100, "a"), new S(200, "b"), new S(200, "c"), new S(300, "d"));

    private static String credited(CreditModel model, List<S> sessions, long soldMs) {
        final S s = model.credited(sessions, S::startedMs, soldMs);
        return s == null ? null : s.name();
    }

    @Test
    void firstTouchIsTheEarliestSessionWhateverTheSaleTime() {
        assertEquals("a", credited(CreditModel.FIRST_TOUCH, SESSIONS, 50));
        assertEquals("a", credited(CreditModel.FIRST_TOUCH, SESSIONS, 1_000));
    }

    @Test
    void lastTouchIsTheLatestStartAtOrBeforeTheSaleFirstInKindAndIdOnATie() {
        assertEquals("a", credited(CreditModel.LAST_TOUCH, SESSIONS, 100));
        assertEquals("a", credited(CreditModel.LAST_TOUCH, SESSIONS, 199));
        assertEquals("b", credited(CreditModel.LAST_TOUCH, SESSIONS, 200));
        assertEquals("b", credited(CreditModel.LAST_TOUCH, SESSIONS, 299));
        assertEquals("d", credited(CreditModel.LAST_TOUCH, SESSIONS, 5_000));
    }

    @Test
    void lastTouchBeforeEverySessionIsTheEarliest() {
        assertEquals("a", credited(CreditModel.LAST_TOUCH, SESSIONS, 99));
    }

    @Test
    void aLeadWithoutSessionsCreditsNothing() {
        assertNull(credited(CreditModel.FIRST_TOUCH, List.of(), 100));
        assertNull(credited(CreditModel.LAST_TOUCH, List.of(), 100));
    }
}
