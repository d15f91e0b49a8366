package org.callrouter.loadtest.report;

import java.util.List;
import java.util.Map;
import org.callrouter.loadtest.stats.LatencySummary;

/**
 * The JSON summary of a run (schema version {@link #SCHEMA}); the module README documents every
 * field. Carrier fields ({@code total}, {@code steps}, {@code maxCleanCps}, ...) are null in a
 * handler-only run.
 *
 * @param tool           always {@code callrouter-loadgen}
 * @param schema         the version of this layout
 * @param startedAt      ISO-8601 UTC
 * @param command        the command-line arguments
 * @param scenario       the preset used, or null
 * @param transport      {@code epoll} or {@code nio}
 * @param settings       what the run was asked to do
 * @param wallSeconds    from start to the end of the drain
 * @param interrupted    stopped early by a signal
 * @param total          the whole run
 * @param steps          each step of the rate plan
 * @param maxCleanCps    the highest offered rate of a clean step; null when none was clean
 * @param maxActiveCalls the most carrier calls active at once
 * @param pacingLagMs    how late INVITEs left against the schedule (the generator's own lag), warm-up excluded
 * @param retransmissions carrier retransmissions by method
 * @param unexpected     carrier messages that matched no call, by kind
 * @param handlers       each handler port
 * @param errors         errors met on the event loop, by kind
 * @param generator      what the generator itself used
 */
public record RunSummary(String tool, int schema, String startedAt, List<String> command, String scenario,
                         String transport, SettingsSummary settings, double wallSeconds, boolean interrupted,
                         StepSummary total, List<StepSummary> steps, Long maxCleanCps, Integer maxActiveCalls,
                         LatencySummary pacingLagMs, Map<String, Long> retransmissions,
                         Map<String, Long> unexpected, List<HandlerSummary> handlers, Map<String, Long> errors,
                         GeneratorUsage generator) {

    /** The version of this layout; it changes when a field changes meaning or goes away. */
    public static final int SCHEMA = 1;
    /** The {@code tool} value. */
    public static final String TOOL = "callrouter-loadgen";
}
