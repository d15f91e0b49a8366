package org.callrouter.loadtest.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class HandlerBehaviourTest {

    /** A generator that returns one fixed draw. */
    private static RandomGenerator draw(double u) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return u;
            }
        };
    }

    @Test
    void aDrawFallsIntoNoAnswerThenBusyThenAnswer() {
        HandlerBehaviour b = new HandlerBehaviour(5080, 0, false, 0.5, 0.2);
        assertEquals(HandlerAction.NO_ANSWER, b.pick(draw(0.0)));
        assertEquals(HandlerAction.NO_ANSWER, b.pick(draw(0.4999)));
        assertEquals(HandlerAction.BUSY, b.pick(draw(0.5)));
        assertEquals(HandlerAction.BUSY, b.pick(draw(0.6999)));
        assertEquals(HandlerAction.ANSWER, b.pick(draw(0.7)));
        assertEquals(HandlerAction.ANSWER, b.pick(draw(0.9999)));
        assertEquals(HandlerAction.ANSWER, HandlerBehaviour.answering(5081).pick(draw(0.0)));
    }

    @Test
    void aSeededRandomGivesTheSharesAndTheSameDrawsAgain() {
        long seed = 42;
        HandlerBehaviour b = new HandlerBehaviour(5080, 0, false, 0.5, 0.1);
        Map<HandlerAction, Integer> counts = new EnumMap<>(HandlerAction.class);
        SplittableRandom first = new SplittableRandom(seed);
        SplittableRandom again = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++) {
            HandlerAction a = b.pick(first);
            assertEquals(a, b.pick(again));
            counts.merge(a, 1, Integer::sum);
        }
        assertEquals(50_000, counts.get(HandlerAction.NO_ANSWER), 1_000);
        assertEquals(10_000, counts.get(HandlerAction.BUSY), 1_000);
        assertEquals(40_000, counts.get(HandlerAction.ANSWER), 1_000);
    }

    @Test
    void aSpecChangesOnlyWhatItNames() {
        HandlerBehaviour b = HandlerBehaviour.answering(5080).with("no-answer=0.5, ring=true");
        assertEquals(0.5, b.noAnswerShare());
        assertTrue(b.ring());
        assertEquals(0, b.busyShare());
        HandlerBehaviour c = b.with("answer-delay=250ms,busy=0.25,ring=false,busy-status=503");
        assertEquals(250_000_000L, c.answerDelayNs());
        assertEquals(0.25, c.busyShare());
        assertEquals(0.5, c.noAnswerShare());
        assertFalse(c.ring());
        assertEquals(c, c.with(""));
        assertEquals(503, c.busyStatus());
        assertEquals(486, b.busyStatus());
        assertEquals("5080:answer-delay=250ms,ring=false,no-answer=0.5,busy=0.25,busy-status=503", c.toString());
    }

    @Test
    void badSpecsAndSharesAreRejectedSayingWhat() {
        HandlerBehaviour b = HandlerBehaviour.answering(5080);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.with("silent=true")).getMessage()
                .contains("unknown key 'silent'"));
        assertThrows(IllegalArgumentException.class, () -> b.with("busy"));
        assertThrows(IllegalArgumentException.class, () -> b.with("busy=lots"));
        assertThrows(IllegalArgumentException.class, () -> b.with("ring=yes"));
        assertThrows(IllegalArgumentException.class, () -> b.with("answer-delay=soon"));
        assertThrows(IllegalArgumentException.class, () -> b.with("busy-status=200"));
        assertThrows(IllegalArgumentException.class, () -> b.with("busy-status=busy"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.with("no-answer=0.7,busy=0.4")).getMessage()
                .contains("must not exceed 1"));
        assertThrows(IllegalArgumentException.class, () -> new HandlerBehaviour(5080, 0, false, -0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HandlerBehaviour(5080, 0, false, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new HandlerBehaviour(70000, 0, false, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new HandlerBehaviour(5080, -1, false, 0, 0));
    }
}
