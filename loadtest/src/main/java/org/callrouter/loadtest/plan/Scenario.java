package org.callrouter.loadtest.plan;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The named load scenarios of the load-test issue, as presets of command-line options: each
 * gives some options a value; options given on the command line win (a {@code --rate} or
 * {@code --ramp} of one's own replaces the preset's rate and ramp, and its step, duration and
 * call count then apply where they fit). Router-side settings a scenario depends on are the
 * router's configuration and are named in {@link #routerNote()}.
 */
public enum Scenario {

    /** A ramp to find the highest clean rate, stopping soon after an unclean step. */
    MAX_RATE("max-rate", "ramp to find the highest clean rate; stops at the next step after a failed or shed call,"
            + " or two steps after one that fell behind",
            null, List.of(500L, 1000L, 1500L, 2000L, 3000L, 4000L, 5000L, 6000L, 8000L, 10000L), "10s", null, null,
            "0", null, true, 0, null,
            "number 18005550100 -> handler ports in priority order (config/bench.yaml)"),

    /** 1,000 calls/s for 60 s: the setup latency the router adds at a busy-hour rate. */
    STEADY_1000("steady-1000", "1,000 calls/s for 60 s", 1000L, null, null, "60s", null, "0", null, false, 0, null,
            "number 18005550100 -> handler ports in priority order (config/bench.yaml)"),

    /** 100,000 calls ramped in at 1,000 calls/s and held 5 minutes: the router's memory with that many live. */
    CONCURRENT_100K("concurrent-100k", "100,000 calls placed at 1,000 calls/s (100 s), each held 5 min:"
            + " measure the router's heap while all are active", 1000L, null, null, null, 100_000L, "5m", 100_000,
            false, 0, null, "a maximum call duration above the hold time and no concurrency cap below 100,000;"
                    + " read its heap (jcmd PID GC.heap_info, or its metrics) while 100,000 calls are active"),

    /** Twice the clean rate for 30 s: refused calls must be 503s (shed), accepted calls must complete. */
    OVERLOAD("overload", "2 x --clean-rate for 30 s: 503s count as shed, accepted calls must complete", null, null,
            null, "30s", null, "0", null, false, 2.0, null,
            "overload protection on: bounded queues, new INVITEs past capacity answered 503 with Retry-After"),

    /** Half the calls never answered at the first handler: ring timeout and failover under load. */
    FAILOVER("failover", "200 calls/s for 60 s; the first handler port rings and never answers 50% of calls", 200L,
            null, null, "60s", null, "0", null, false, 0, "no-answer=0.5,ring=true",
            "a short ring timeout for the first handler (e.g. 2 s): it decides how long unanswered calls ring"
                    + " before moving to the next handler; the carrier's --answer-timeout (60 s) must exceed it");

    private final String id;
    private final String description;
    private final Long rate;
    private final List<Long> ramp;
    private final String step;
    private final String duration;
    private final Long calls;
    private final String hold;
    private final Integer maxConcurrent;
    private final boolean stopOnDirty;
    private final double cleanRateFactor;
    private final String firstHandlerBehaviour;
    private final String routerNote;

    Scenario(String id, String description, Long rate, List<Long> ramp, String step, String duration, Long calls,
            String hold, Integer maxConcurrent, boolean stopOnDirty, double cleanRateFactor,
            String firstHandlerBehaviour, String routerNote) {
        this.id = id;
        this.description = description;
        this.rate = rate;
        this.ramp = ramp;
        this.step = step;
        this.duration = duration;
        this.calls = calls;
        this.hold = hold;
        this.maxConcurrent = maxConcurrent;
        this.stopOnDirty = stopOnDirty;
        this.cleanRateFactor = cleanRateFactor;
        this.firstHandlerBehaviour = firstHandlerBehaviour;
        this.routerNote = routerNote;
    }

    /** The name used on the command line. */
    public String id() {
        return id;
    }

    /** What it does. */
    public String description() {
        return description;
    }

    /** Its constant rate (calls/s), or null. */
    public Long rate() {
        return rate;
    }

    /** Its ramp of rates (calls/s), or null. */
    public List<Long> ramp() {
        return ramp;
    }

    /** How long each ramp step lasts, or null. */
    public String step() {
        return step;
    }

    /** How long it offers calls, or null. */
    public String duration() {
        return duration;
    }

    /** How many calls it places, or null. */
    public Long calls() {
        return calls;
    }

    /** The hold time, or null. */
    public String hold() {
        return hold;
    }

    /** The concurrency limit, or null. */
    public Integer maxConcurrent() {
        return maxConcurrent;
    }

    /** Whether it stops offering once a step was unclean. */
    public boolean stopOnDirty() {
        return stopOnDirty;
    }

    /** The multiple of {@code --clean-rate} it offers (which it then requires), or 0. */
    public double cleanRateFactor() {
        return cleanRateFactor;
    }

    /** The behaviour the first handler port gets unless one is given for it, or null. */
    public String firstHandlerBehaviour() {
        return firstHandlerBehaviour;
    }

    /** What the router under test must be configured with for the scenario to mean anything. */
    public String routerNote() {
        return routerNote;
    }

    /** The options it amounts to, as a command line would give them. */
    public String asOptions() {
        StringBuilder sb = new StringBuilder();
        if (rate != null) {
            sb.append(" --rate ").append(rate);
        }
        if (ramp != null) {
            sb.append(" --ramp ").append(ramp.stream().map(String::valueOf).collect(Collectors.joining(",")));
            sb.append(" --step ").append(step);
        }
        if (cleanRateFactor > 0) {
            sb.append(" --rate <").append(String.valueOf(cleanRateFactor).replaceAll("\\.0$", ""))
                    .append(" x --clean-rate>");
        }
        if (duration != null) {
            sb.append(" --duration ").append(duration);
        }
        if (calls != null) {
            sb.append(" --calls ").append(calls);
        }
        if (hold != null) {
            sb.append(" --hold ").append(hold);
        }
        if (maxConcurrent != null) {
            sb.append(" --max-concurrent ").append(maxConcurrent);
        }
        if (stopOnDirty) {
            sb.append(" --stop-on-dirty");
        }
        if (firstHandlerBehaviour != null) {
            sb.append(" --handler-behaviour <first port>:").append(firstHandlerBehaviour);
        }
        return sb.toString().trim();
    }

    /**
     * The scenario named {@code id}.
     *
     * @throws IllegalArgumentException listing the names when there is none
     */
    public static Scenario of(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + id + "' (use one of "
                + Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", ")) + ")");
    }
}
