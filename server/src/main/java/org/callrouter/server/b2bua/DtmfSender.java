package org.callrouter.server.b2bua;

import java.nio.charset.StandardCharsets;

import org.callrouter.sip.message.SipMethod;
import org.callrouter.sip.message.SipResponse;
import org.callrouter.server.timer.TimerService;
import org.callrouter.server.timer.TimerTarget;
import org.callrouter.server.transaction.ClientTransaction;
import org.callrouter.server.transaction.ClientTransactionListener;

/**
 * Sends a handler's {@code send_digits} after it answers, one SIP INFO per digit with an
 * {@code application/dtmf-relay} body ({@code Signal=} and {@code Duration=}), in order: each
 * INFO waits for the previous one's final response and for its tone to have played out;
 * {@code w} waits half a second.
 */
final class DtmfSender implements ClientTransactionListener, TimerTarget {

    /** Tone length announced per digit, and the gap the next digit waits for. */
    static final int TONE_MS = 160;
    static final int GAP_MS = 40;
    static final int PAUSE_MS = 500;
    private static final String CONTENT_TYPE = "application/dtmf-relay";

    private final Call call;
    private final B2bua b2bua;
    private final Dialog dialog;
    private final String digits;
    private int index;
    private long timer = TimerService.NO_TIMER;
    private long lastSentMonoMs;
    private boolean stopped;

    DtmfSender(Call call, Dialog dialog, String digits) {
        this.call = call;
        this.b2bua = call.b2bua;
        this.dialog = dialog;
        this.digits = digits;
    }

    void start() {
        next();
    }

    void stop() {
        stopped = true;
        timer = b2bua.timers().cancel(timer);
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        if (response.statusCode() >= 200) {
            afterDigit();
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, boolean transportError) {
        afterDigit();
    }

    @Override
    public void onTimer(long timerId, long nowMs) {
        if (timerId == timer) {
            timer = TimerService.NO_TIMER;
            try {
                next();
            } catch (RuntimeException | Error e) {
                b2bua.failSafe(call, e);
            }
        }
    }

    private void afterDigit() {
        if (stopped) {
            return;
        }
        final long due = lastSentMonoMs + TONE_MS + GAP_MS;
        timer = b2bua.timers().schedule(this, Math.max(due, b2bua.monoMs()));
    }

    private void next() {
        while (!stopped && index < digits.length()) {
            final char c = digits.charAt(index++);
            if (c == 'w' || c == 'W') {
                timer = b2bua.timers().schedule(this, b2bua.monoMs() + PAUSE_MS);
                return;
            }
            if (isDtmf(c)) {
                send(c);
                return;
            }
        }
    }

    private void send(char digit) {
        lastSentMonoMs = b2bua.monoMs();
        final byte[] body = ("Signal=" + digit + "\r\nDuration=" + TONE_MS + "\r\n").getBytes(StandardCharsets.US_ASCII);
        final byte[] encoded = dialog.request(SipMethod.INFO, dialog.nextCseq(),
                        b2bua.local().newVia(dialog.destination.transport()), null)
                .body(CONTENT_TYPE, body, 0, body.length)
                .toBytes();
        b2bua.layer().sendNonInvite(Dialog.parseOwn(encoded), encoded, dialog.destination, this);
    }

    static boolean isDtmf(char c) {
        return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
    }
}
