package org.callrouter.server.testsupport;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs a sample test class on a launcher of its own, without the listeners of the build's run. */
final class TestKit {
    private TestKit() {
    }

    static TestExecutionSummary run(Class<?> testClass, Map<String, String> parameters, TestExecutionListener... more) {
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass)).configurationParameters(parameters).build();
        final SummaryGeneratingListener summary = new SummaryGeneratingListener();
        final LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        final TestExecutionListener[] listeners = new TestExecutionListener[more.length + 1];
        listeners[0] = summary;
        System.arraycopy(more, 0, listeners, 1, more.length);
        LauncherFactory.create(config).execute(request, listeners);
        return summary.getSummary();
    }
}
