package org.callrouter.loadtest.carrier;

import java.net.InetSocketAddress;
import org.callrouter.loadtest.plan.RatePlan;

/**
 * What the carrier side does.
 *
 * @param target          where INVITEs go (the router)
 * @param bind            the carrier's local address (port 0: any free port)
 * @param number          the dialed number: the Request-URI and To user part
 * @param callerPrefix    the caller numbers' prefix (see {@link CallerNumbers})
 * @param plan            when to place calls
 * @param maxCalls        stop after this many calls (Long.MAX_VALUE: the plan decides)
 * @param maxConcurrent   calls due while this many are active are not placed (counted as limited)
 * @param holdNs          from the ACK to the BYE
 * @param answerTimeoutNs from the INVITE to giving up on a final answer (then CANCEL)
 * @param cancelAfterNs   CANCEL calls not answered this long after their INVITE; -1 never
 * @param cancelShare     the share of calls that get the planned CANCEL, 0..1
 * @param stopOnDirty     stop offering at the start of a step when an earlier step had a failed or shed call,
 *                        or the step before the last was not clean
 */
public record CarrierSettings(InetSocketAddress target, InetSocketAddress bind, String number, String callerPrefix,
                              RatePlan plan, long maxCalls, int maxConcurrent, long holdNs, long answerTimeoutNs,
                              long cancelAfterNs, double cancelShare, boolean stopOnDirty) {

    /** Checks the values; messages name the setting and its value. */
    public CarrierSettings {
        if (number == null || number.isEmpty() || !number.chars().allMatch(c -> c == '+' || Character.isDigit(c)
                || Character.isLetter(c) || c == '-' || c == '.' || c == '_')) {
            throw new IllegalArgumentException("number='" + number + "' must be a non-empty user part (digits, +)");
        }
        new CallerNumbers(callerPrefix);
        if (maxCalls < 1) {
            throw new IllegalArgumentException("calls=" + maxCalls + " must be at least 1");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("max-concurrent=" + maxConcurrent + " must be at least 1");
        }
        if (holdNs < 0) {
            throw new IllegalArgumentException("hold must not be negative");
        }
        if (answerTimeoutNs < 1) {
            throw new IllegalArgumentException("answer-timeout must be positive");
        }
        if (!(cancelShare >= 0 && cancelShare <= 1)) {
            throw new IllegalArgumentException("cancel-share=" + cancelShare + " must be within 0..1");
        }
    }
}
