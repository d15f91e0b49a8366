package org.callrouter.loadtest.handler;

import java.util.random.RandomGenerator;
import org.callrouter.loadtest.plan.Durations;

/**
 * How the handler listening on one port treats INVITEs: a share of them never answered (it rings
 * until cancelled), a share refused busy, the rest answered after {@code answerDelayNs}; with
 * {@code ring}, a 180 goes out at once before the final answer.
 *
 * @param port          the UDP port
 * @param answerDelayNs from the INVITE to the 200 or the refusal
 * @param ring          send 180 Ringing at once
 * @param noAnswerShare the share of calls never answered, 0..1
 * @param busyShare     the share of calls refused, 0..1; with {@code noAnswerShare} at most 1
 * @param busyStatus    the refusal's status: 486 Busy Here unless told otherwise (e.g. 480, 503, 603)
 */
public record HandlerBehaviour(int port, long answerDelayNs, boolean ring, double noAnswerShare, double busyShare,
                               int busyStatus) {

    /** Checks the values and that the shares fit together. */
    public HandlerBehaviour {
        if (busyStatus < 300 || busyStatus > 699) {
            throw new IllegalArgumentException("port " + port + ": busy-status=" + busyStatus
                    + " must be a failure status (300-699)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("handler port=" + port + " is outside 0..65535");
        }
        if (answerDelayNs < 0) {
            throw new IllegalArgumentException("answer-delay of port " + port + " is negative");
        }
        checkShare(port, "no-answer", noAnswerShare);
        checkShare(port, "busy", busyShare);
        if (noAnswerShare + busyShare > 1.0 + 1e-9) {
            throw new IllegalArgumentException("port " + port + ": no-answer=" + noAnswerShare + " + busy=" + busyShare
                    + " must not exceed 1");
        }
    }

    /** A behaviour whose refusals are 486 Busy Here. */
    public HandlerBehaviour(int port, long answerDelayNs, boolean ring, double noAnswerShare, double busyShare) {
        this(port, answerDelayNs, ring, noAnswerShare, busyShare, 486);
    }

    private static void checkShare(int port, String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("port " + port + ": " + name + "=" + share + " must be within 0..1");
        }
    }

    /** A handler on {@code port} that answers every call at once. */
    public static HandlerBehaviour answering(int port) {
        return new HandlerBehaviour(port, 0, false, 0, 0);
    }

    /** The action for the next call: one uniform draw from {@code random} against the shares. */
    public HandlerAction pick(RandomGenerator random) {
        double u = random.nextDouble();
        if (u < noAnswerShare) {
            return HandlerAction.NO_ANSWER;
        }
        if (u < noAnswerShare + busyShare) {
            return HandlerAction.BUSY;
        }
        return HandlerAction.ANSWER;
    }

    /**
     * This behaviour with the settings of {@code spec} applied: comma-separated {@code key=value}
     * pairs, keys {@code answer-delay} (a duration), {@code ring} (true/false), {@code no-answer}
     * and {@code busy} (shares 0..1), {@code busy-status} (300-699). An empty spec changes nothing.
     *
     * @throws IllegalArgumentException naming the pair that is wrong
     */
    public HandlerBehaviour with(String spec) {
        long delay = answerDelayNs;
        boolean r = ring;
        double noAnswer = noAnswerShare;
        double busy = busyShare;
        int status = busyStatus;
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + pair + "' in handler behaviour of port " + port
                        + " is not key=value");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            switch (key) {
                case "answer-delay" -> delay = Durations.parseNs(value);
                case "ring" -> r = parseBoolean(value, pair);
                case "no-answer" -> noAnswer = parseShare(value, pair);
                case "busy" -> busy = parseShare(value, pair);
                case "busy-status" -> status = parseStatus(value, pair);
                default -> throw new IllegalArgumentException("unknown key '" + key + "' in handler behaviour of port "
                        + port + " (use answer-delay, ring, no-answer, busy, busy-status)");
            }
        }
        return new HandlerBehaviour(port, delay, r, noAnswer, busy, status);
    }

    private static boolean parseBoolean(String value, String pair) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("'" + pair + "': ring is true or false");
    }

    private static int parseStatus(String value, String pair) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + pair + "': busy-status is a status code 300-699", e);
        }
    }

    private static double parseShare(String value, String pair) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + pair + "': a share is a number within 0..1", e);
        }
    }

    /** The spec form, {@code 5080:answer-delay=0,ring=false,no-answer=0.5,busy=0.0,busy-status=486}. */
    @Override
    public String toString() {
        return port + ":answer-delay=" + Durations.format(answerDelayNs) + ",ring=" + ring + ",no-answer="
                + noAnswerShare + ",busy=" + busyShare + ",busy-status=" + busyStatus;
    }
}
