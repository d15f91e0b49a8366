package org.callrouter.loadtest.stats;

/**
 * The outcome of the calls placed during one step of the rate plan (or, merged, of the whole
 * run): each call counts in the step it was placed in, whenever it ends. Updated on the event
 * loop only.
 *
 * <p>A call is <em>attempted</em> when its INVITE goes out, <em>answered</em> at its 2xx, and then
 * ends exactly once: <em>completed</em> (its BYE got a 2xx), <em>canceled</em> (the 487 to a CANCEL
 * the carrier chose to send), <em>shed</em> (a 503: the router refused it under load) or
 * <em>failed</em> with a reason.
 */
public final class StepStats {

    /** A step is clean when it achieves at least this share of its offered rate, with no failure. */
    public static final double CLEAN_SHARE = 0.95;
    private static final double NS_PER_S = 1e9;

    private final int index;
    private final double offeredCps;
    private final boolean warmup;
    private long offerStartNs = Long.MAX_VALUE;
    private long offerEndNs = Long.MIN_VALUE;
    private long lastAnswerNs = Long.MIN_VALUE;

    private long attempted;
    private long limited;
    private long answered;
    private long completed;
    private long canceled;
    private long shed;
    private long failed;
    private long failovers;
    private long uncorrelated;
    private final Counts failures = new Counts();

    private final LatencyHistogram setup = new LatencyHistogram();
    private final LatencyHistogram firstResponse = new LatencyHistogram();
    private final LatencyHistogram routerAdded = new LatencyHistogram();
    private final LatencyHistogram inviteLeg = new LatencyHistogram();
    private final LatencyHistogram answerLeg = new LatencyHistogram();

    /**
     * Statistics of step {@code index}, offered at {@code offeredCps}.
     *
     * @param index      the step's position in the plan; -1 for the whole run
     * @param offeredCps the rate the plan asks for
     * @param warmup     whether it is the warm-up, outside the run's totals
     */
    public StepStats(int index, double offeredCps, boolean warmup) {
        this.index = index;
        this.offeredCps = offeredCps;
        this.warmup = warmup;
    }

    /** The carrier offers calls from {@code startNs} to {@code endNs} in this step (absolute nanoTime). */
    public void offerWindow(long startNs, long endNs) {
        offerStartNs = Math.min(offerStartNs, startNs);
        offerEndNs = Math.max(offerEndNs, endNs);
    }

    /** An INVITE went out. */
    public void attempted() {
        attempted++;
    }

    /** A call was due but the concurrency limit held it back; it is not placed later. */
    public void limited() {
        limited++;
    }

    /**
     * A 2xx to the INVITE arrived.
     *
     * @param nowNs           when
     * @param setupNs         from the INVITE sent to the 2xx received
     * @param handlerInviteNs when the answering handler received its INVITE, 0 when no handler of
     *                        this process answered (carrier-only runs, or the handler is not ours)
     * @param handlerAnswerNs when that handler sent its 200
     * @param inviteSentNs    when the carrier sent the INVITE
     */
    public void answered(long nowNs, long setupNs, long handlerInviteNs, long handlerAnswerNs, long inviteSentNs) {
        answered++;
        lastAnswerNs = Math.max(lastAnswerNs, nowNs);
        setup.record(setupNs);
        if (handlerAnswerNs == 0) {
            uncorrelated++;
            return;
        }
        routerAdded.record(setupNs - (handlerAnswerNs - handlerInviteNs));
        inviteLeg.record(handlerInviteNs - inviteSentNs);
        answerLeg.record(nowNs - handlerAnswerNs);
    }

    /** The first response of any kind (usually the router's 100 Trying) came after {@code ns}. */
    public void firstResponse(long ns) {
        firstResponse.record(ns);
    }

    /** The INVITE of a call reached more than one handler: the router failed over. */
    public void failedOver() {
        failovers++;
    }

    /** The call's BYE got a 2xx. */
    public void completed() {
        completed++;
    }

    /** The call ended with the 487 to the carrier's CANCEL. */
    public void canceled() {
        canceled++;
    }

    /** The router refused the call with 503. */
    public void shed() {
        shed++;
    }

    /** The call failed for {@code reason}. */
    public void failed(String reason) {
        failed++;
        failures.add(reason);
    }

    /** Adds the counts and latencies of {@code other} (for the whole-run total). */
    public void add(StepStats other) {
        offerStartNs = Math.min(offerStartNs, other.offerStartNs);
        offerEndNs = Math.max(offerEndNs, other.offerEndNs);
        lastAnswerNs = Math.max(lastAnswerNs, other.lastAnswerNs);
        attempted += other.attempted;
        limited += other.limited;
        answered += other.answered;
        completed += other.completed;
        canceled += other.canceled;
        shed += other.shed;
        failed += other.failed;
        failovers += other.failovers;
        uncorrelated += other.uncorrelated;
        failures.add(other.failures);
        setup.add(other.setup);
        firstResponse.add(other.firstResponse);
        routerAdded.add(other.routerAdded);
        inviteLeg.add(other.inviteLeg);
        answerLeg.add(other.answerLeg);
    }

    /** How long the carrier offered calls in this step, in seconds; 0 before it started. */
    public double offeredSeconds() {
        return offerEndNs > offerStartNs ? (offerEndNs - offerStartNs) / NS_PER_S : 0;
    }

    /**
     * Answered calls per second over the offer window, stretched to the last answer when answers
     * came after the window closed (a router falling behind shows as a lower rate).
     */
    public double achievedCps() {
        long end = Math.max(offerEndNs, lastAnswerNs);
        return end > offerStartNs ? answered * NS_PER_S / (end - offerStartNs) : 0;
    }

    /** INVITEs placed per second over the offer window: whether the generator kept its pace. */
    public double attemptedCps() {
        double s = offeredSeconds();
        return s > 0 ? attempted / s : 0;
    }

    /**
     * Clean: nothing failed, was shed or held back by the concurrency limit, and at least
     * {@link #CLEAN_SHARE} of the offered rate was achieved (the criterion of
     * {@code ../shared/bench/side-by-side.sh}).
     */
    public boolean clean() {
        return failed == 0 && shed == 0 && limited == 0 && attempted > 0 && achievedCps() >= CLEAN_SHARE * offeredCps;
    }

    /** The step's position in the plan; -1 for the whole run. */
    public int index() {
        return index;
    }

    /** Whether this is the warm-up step. */
    public boolean warmup() {
        return warmup;
    }

    /** The rate the plan asks for, calls per second. */
    public double offeredCps() {
        return offeredCps;
    }

    /** INVITEs sent. */
    public long attemptedCount() {
        return attempted;
    }

    /** Calls held back by the concurrency limit. */
    public long limitedCount() {
        return limited;
    }

    /** Calls answered 2xx. */
    public long answeredCount() {
        return answered;
    }

    /** Calls whose BYE got a 2xx. */
    public long completedCount() {
        return completed;
    }

    /** Calls ended by the carrier's planned CANCEL. */
    public long canceledCount() {
        return canceled;
    }

    /** Calls refused with 503. */
    public long shedCount() {
        return shed;
    }

    /** Calls that failed, for any reason. */
    public long failedCount() {
        return failed;
    }

    /** Calls whose INVITE reached more than one handler of this process. */
    public long failoverCount() {
        return failovers;
    }

    /** Answered calls no handler of this process answered (no router-added latency for them). */
    public long uncorrelatedCount() {
        return uncorrelated;
    }

    /** Failed calls by reason. */
    public Counts failures() {
        return failures;
    }

    /** INVITE sent to 2xx received. */
    public LatencyHistogram setup() {
        return setup;
    }

    /** INVITE sent to the first response of any kind. */
    public LatencyHistogram firstResponse() {
        return firstResponse;
    }

    /** Setup minus the answering handler's own time: what the router added. */
    public LatencyHistogram routerAdded() {
        return routerAdded;
    }

    /** INVITE sent by the carrier to INVITE received by the answering handler. */
    public LatencyHistogram inviteLeg() {
        return inviteLeg;
    }

    /** 200 sent by the handler to 2xx received by the carrier. */
    public LatencyHistogram answerLeg() {
        return answerLeg;
    }
}
