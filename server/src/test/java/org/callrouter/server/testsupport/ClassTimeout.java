package org.callrouter.server.testsupport;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Bounds the time of a whole test class, so that one hung integration test fails its class with
 * a message, and the stack where it hung, instead of stalling the build.
 *
 * <p>The clock starts before the class's {@code @BeforeAll} methods. Each {@code @BeforeAll},
 * {@code @BeforeEach} and test method runs with what is left of the class's budget: when it runs
 * out, the test thread is interrupted (the peers' bounded waits and blocking calls end on an
 * interrupt) and the method fails with a {@link TimeoutException} naming the class and the budget;
 * the methods after it fail at once. {@code @AfterEach} and {@code @AfterAll} are not bounded:
 * they stop routers and peers, and must run so that the next class finds its ports free.
 *
 * <p>Why not {@code junit.jupiter.execution.timeout.default}: it bounds each method, and a class of
 * twenty methods would get twenty times the bound. Why not Failsafe's
 * {@code forkedProcessTimeoutInSeconds} alone: it bounds the whole run and kills the JVM, without
 * saying which test hung (it stays as the backstop for a thread that ignores interrupts).
 *
 * <p>Registered by JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension}, with
 * {@code junit.jupiter.extensions.autodetection.enabled=true} set in the parent pom). The budget is
 * the configuration parameter {@value #BUDGET_PARAMETER} in seconds (default
 * {@value #DEFAULT_BUDGET_SECONDS}).
 */
public final class ClassTimeout implements BeforeAllCallback, InvocationInterceptor {
    /** JUnit configuration parameter: the budget of one test class, in seconds. */
    public static final String BUDGET_PARAMETER = "callrouter.test.class.timeout";
    static final long DEFAULT_BUDGET_SECONDS = 300;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClassTimeout.class);
    private static final ScheduledExecutorService ALARMS = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "class-timeout");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void beforeAll(ExtensionContext context) {
        budget(context);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        bounded(invocation, method, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        bounded(invocation, method, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        bounded(invocation, method, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        bounded(invocation, method, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        return bounded(invocation, method, context);
    }

    private static <T> T bounded(Invocation<T> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        final Budget budget = budget(context);
        final long leftNs = budget.deadlineNs - System.nanoTime();
        if (leftNs <= 0) {
            invocation.skip();
            throw budget.exceeded(method.getExecutable(), null);
        }
        final Alarm alarm = new Alarm(Thread.currentThread());
        final ScheduledFuture<?> scheduled = ALARMS.schedule(alarm, leftNs, TimeUnit.NANOSECONDS);
        Throwable failure = null;
        T result = null;
        try {
            result = invocation.proceed();
        } catch (Throwable t) {
            failure = t;
        }
        scheduled.cancel(false);
        final StackTraceElement[] interruptedAt = alarm.disarm();
        if (interruptedAt != null) {
            Thread.interrupted();
            final TimeoutException timeout = budget.exceeded(method.getExecutable(), interruptedAt);
            if (failure != null) {
                timeout.addSuppressed(failure);
            }
            throw timeout;
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** The budget of the outermost class of {@code context}, started the first time it is asked for. */
    private static Budget budget(ExtensionContext context) {
        ExtensionContext outermost = context;
        for (Optional<ExtensionContext> parent = context.getParent(); parent.isPresent() && parent.get().getTestClass().isPresent();
                parent = parent.get().getParent()) {
            outermost = parent.get();
        }
        final ExtensionContext classContext = outermost;
        final Duration limit = Duration.ofSeconds(classContext.getConfigurationParameter(BUDGET_PARAMETER)
                .map(Long::parseLong).orElse(DEFAULT_BUDGET_SECONDS));
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(Budget.class,
                k -> new Budget(classContext.getRequiredTestClass().getName(), limit, System.nanoTime() + limit.toNanos()),
                Budget.class);
    }

    /** Interrupts the test thread unless disarmed first; the lock keeps an interrupt from landing after the disarm. */
    private static final class Alarm implements Runnable {
        private final Thread runner;
        private boolean disarmed;
        private StackTraceElement[] interruptedAt;

        Alarm(Thread runner) {
            this.runner = runner;
        }

        @Override
        public synchronized void run() {
            if (!disarmed) {
                interruptedAt = runner.getStackTrace();
                runner.interrupt();
            }
        }

        /** Where the test thread was when interrupted, or null when it was not. */
        synchronized StackTraceElement[] disarm() {
            disarmed = true;
            return interruptedAt;
        }
    }

    private record Budget(String className, Duration limit, long deadlineNs) {
        TimeoutException exceeded(Method method, StackTraceElement[] where) {
            final TimeoutException e = new TimeoutException(className + " ran past its budget of " + limit.toSeconds()
                    + " s for the whole class (" + BUDGET_PARAMETER + "), in " + method.getName() + "()"
                    + (where == null ? ": not started" : ": interrupted; the stack trace is where it was"));
            if (where != null) {
                e.setStackTrace(where);
            }
            return e;
        }
    }
}
