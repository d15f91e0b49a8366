package org.callrouter.server.metrics;

import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.callrouter.sip.message.SipMethod;
import org.callrouter.server.transaction.MessageCounters;

/**
 * {@code sip_requests_received_total{method}} and {@code sip_responses_sent_total{code}}, counted
 * on the SIP loop without a registry lookup: the method's counter is found among the RFC
 * methods by identity (any other method counts as {@code method="other"}, so a peer inventing
 * methods cannot grow the label set), a status code's counter by index, made on first use.
 */
final class SipMessageMetrics implements MessageCounters {

    private static final SipMethod[] METHODS = {
        SipMethod.INVITE, SipMethod.ACK, SipMethod.BYE, SipMethod.CANCEL, SipMethod.OPTIONS, SipMethod.INFO,
        SipMethod.UPDATE, SipMethod.REGISTER, SipMethod.PRACK, SipMethod.SUBSCRIBE, SipMethod.NOTIFY,
        SipMethod.REFER, SipMethod.MESSAGE, SipMethod.PUBLISH
    };
    private static final int MIN_STATUS = 100;
    private static final int MAX_STATUS = 699;

    private final MeterRegistry registry;
    private final Counter[] methods = new Counter[METHODS.length];
    private final Counter otherMethod;
    private final AtomicReferenceArray<Counter> statuses = new AtomicReferenceArray<>(MAX_STATUS - MIN_STATUS + 1);

    SipMessageMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (int i = 0; i < METHODS.length; i++) {
            methods[i] = requests(METHODS[i].name());
        }
        otherMethod = requests("other");
    }

    @Override
    public void requestReceived(SipMethod method) {
        for (int i = 0; i < METHODS.length; i++) {
            if (METHODS[i] == method) {
                methods[i].increment();
                return;
            }
        }
        otherMethod.increment();
    }

    @Override
    public void responseSent(int status) {
        if (status < MIN_STATUS || status > MAX_STATUS) {
            return;
        }
        Counter counter = statuses.get(status - MIN_STATUS);
        if (counter == null) {
            counter = Counter.builder("sip.responses.sent").description("SIP responses sent, by status code")
                    .tag("code", Integer.toString(status)).register(registry);
            statuses.set(status - MIN_STATUS, counter);
        }
        counter.increment();
    }

    private Counter requests(String method) {
        return Counter.builder("sip.requests.received").description("SIP requests received, by method")
                .tag("method", method).register(registry);
    }
}
