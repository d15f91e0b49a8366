package org.callrouter.routing.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The call status → session status table of the server README. */
class SessionStatusTest {

    @ParameterizedTest
    @CsvSource({
        "in-progress, false, false, false, PROCESSING",
        "completed,   true,  false, false, COMPLETE",
        "completed,   true,  true,  true,  COMPLETE",
        "completed,   true,  false, true,  REJECTED",
        "completed,   false, false, false, REJECTED",
        "no-answer,   false, false, true,  REJECTED",
        "busy,        false, false, true,  REJECTED",
        "canceled,    false, false, false, REJECTED",
        "rejected,    false, false, false, REJECTED",
        "failed,      false, false, false, FAILED",
        "interrupted, true,  false, false, FAILED",
        "sideways,    true,  true,  false, FAILED",
    })
    void ofCall(String status, boolean answered, boolean converted, boolean converts, SessionStatus expected) {
        assertEquals(expected, SessionStatus.ofCall(status, answered, converted, converts));
    }

    @ParameterizedTest
    @CsvSource({"new, NEW", "Expired, EXPIRED", "COMPLETE, COMPLETE"})
    void wireNames(String name, SessionStatus status) {
        assertEquals(status, SessionStatus.fromWire(name));
        assertEquals(name.toLowerCase(java.util.Locale.ROOT), status.wireName());
    }
}
