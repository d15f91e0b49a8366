package org.callrouter.server.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class ClassTimeoutTest {
    static final List<String> CLEANED_UP = new CopyOnWriteArrayList<>();

    @Test
    void aClassPastItsBudgetFailsItsHungTestAndTheRestAtOnceButStillCleansUp() {
        CLEANED_UP.clear();
        final TestExecutionSummary summary = TestKit.run(Hangs.class, Map.of(ClassTimeout.BUDGET_PARAMETER, "1"));
        assertEquals(2, summary.getTestsFailedCount(), summary::toString);
        final List<TestExecutionSummary.Failure> failures = summary.getFailures();
        final Throwable hung = failures.get(0).getException();
        assertInstanceOf(TimeoutException.class, hung);
        assertTrue(hung.getMessage().startsWith(Hangs.class.getName() + " ran past its budget of 1 s for the whole class"),
                hung.getMessage());
        assertTrue(hung.getMessage().contains("in waitsForever(): interrupted"), hung.getMessage());
        assertTrue(List.of(hung.getStackTrace()).stream().anyMatch(e -> e.getMethodName().equals("waitsForever")),
                "the stack trace shows where the test hung");
        final Throwable next = failures.get(1).getException();
        assertTrue(next.getMessage().contains("in wouldRunNext(): not started"), next.getMessage());
        assertEquals(List.of("waitsForever", "wouldRunNext"), CLEANED_UP, "@AfterEach ran after each");
    }

    @Test
    void aClassWithinItsBudgetPasses() {
        final TestExecutionSummary summary = TestKit.run(Quick.class, Map.of(ClassTimeout.BUDGET_PARAMETER, "60"));
        assertEquals(1, summary.getTestsSucceededCount(), summary::toString);
        assertEquals(0, summary.getTotalFailureCount(), summary::toString);
    }

    @ExtendWith(ClassTimeout.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Hangs {
        @Test
        @Order(1)
        void waitsForever() throws InterruptedException {
            new CountDownLatch(1).await();
        }

        @Test
        @Order(2)
        void wouldRunNext() {
        }

        @AfterEach
        void cleanUp(org.junit.jupiter.api.TestInfo test) {
            CLEANED_UP.add(test.getTestMethod().orElseThrow().getName());
        }
    }

    @ExtendWith(ClassTimeout.class)
    static class Quick {
        @Test
        void returns() {
        }
    }
}
