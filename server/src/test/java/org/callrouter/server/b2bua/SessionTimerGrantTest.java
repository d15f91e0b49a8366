package org.callrouter.server.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.callrouter.routing.config.ServerSettings;
import org.callrouter.sip.header.SessionExpires;
import org.callrouter.sip.header.SessionExpires.Refresher;
import org.junit.jupiter.api.Test;

/** What the router grants a UAC that asks for a session timer (RFC 4028 9). */
class SessionTimerGrantTest {

    private static final ServerSettings.SessionTimer OURS = new ServerSettings.SessionTimer(true, 1800, 90);

    @Test
    void aLongerIntervalIsLoweredToOursAShorterOneKept() {
        assertEquals(new SessionExpires(1800, Refresher.UAC),
                SessionTimer.grant(new SessionExpires(7200, Refresher.UAC), -1, true, OURS));
        assertEquals(new SessionExpires(120, Refresher.UAC),
                SessionTimer.grant(new SessionExpires(120, null), 90, true, OURS));
    }

    @Test
    void neverBelowTheAskersMinSe() {
        final ServerSettings.SessionTimer short600 = new ServerSettings.SessionTimer(true, 600, 90);
        assertEquals(new SessionExpires(900, Refresher.UAS),
                SessionTimer.grant(new SessionExpires(3600, Refresher.UAS), 900, true, short600));
    }

    @Test
    void aUacWithoutTimerSupportCannotBeTheRefresher() {
        assertEquals(new SessionExpires(300, Refresher.UAS),
                SessionTimer.grant(new SessionExpires(300, Refresher.UAC), -1, false, OURS));
        assertEquals(new SessionExpires(300, Refresher.UAS),
                SessionTimer.grant(new SessionExpires(300, null), -1, false, OURS));
    }

    @Test
    void aUacThatNamesNoRefresherRefreshesItself() {
        assertEquals(Refresher.UAC, SessionTimer.grant(new SessionExpires(300, null), -1, true, OURS).refresher());
        assertEquals(Refresher.UAS,
                SessionTimer.grant(new SessionExpires(300, Refresher.UAS), -1, true, OURS).refresher());
    }
}
