package org.callrouter.server.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The per-call index of webhook outcomes: one entry per request, the latest calls kept, URLs without secrets. */
class CallWebhooksTest {

    private static WebhookRequest request(String call, String key, String url) {
        return new WebhookRequest(key, "ended", "sales", call, url, "application/json", "{}", 1);
    }

    @Test
    void eachTryOfARequestReplacesItsEntry() {
        final CallWebhooks index = new CallWebhooks(10);
        final WebhookRequest r = request("c1", "c1:ended:0", "https://hooks.example/in?key=abc");
        index.record(r, CallWebhooks.State.RETRYING, 503, 1, 10, "HTTP 503");
        index.record(request("c1", "c1:ended:1", "https://b.example/x"), CallWebhooks.State.DEAD, 0, 8, 20, "refused");
        index.record(r, CallWebhooks.State.DELIVERED, 200, 2, 30, null);
        assertEquals(List.of(
                new CallWebhooks.Entry("ended", "https://hooks.example/in", CallWebhooks.State.DELIVERED, 200, 2, 30, null),
                new CallWebhooks.Entry("ended", "https://b.example/x", CallWebhooks.State.DEAD, 0, 8, 20, "refused")),
                index.of("c1"));
        assertEquals(List.of(), index.of("c2"));
    }

    @Test
    void theCallsTriedLongestAgoGoFirst() {
        final CallWebhooks index = new CallWebhooks(2);
        index.record(request("c1", "c1:ended:0", "http://h/"), CallWebhooks.State.RETRYING, 500, 1, 1, "HTTP 500");
        index.record(request("c2", "c2:ended:0", "http://h/"), CallWebhooks.State.DELIVERED, 200, 1, 2, null);
        // c1 tried again: now c2 is the oldest and goes when c3 comes.
        index.record(request("c1", "c1:ended:0", "http://h/"), CallWebhooks.State.DELIVERED, 200, 2, 3, null);
        index.record(request("c3", "c3:ended:0", "http://h/"), CallWebhooks.State.DELIVERED, 200, 1, 4, null);
        assertEquals(2, index.size());
        assertEquals(List.of(), index.of("c2"));
        assertEquals(1, index.of("c1").size());
        assertEquals(1, index.of("c3").size());
        index.record(request(null, "number:flagged:0", "http://h/"), CallWebhooks.State.DELIVERED, 200, 1, 5, null);
        assertEquals(2, index.size(), "requests of no call are not kept");
    }

    @Test
    void aUrlLosesItsQueryFragmentAndUserInformation() {
        assertEquals("https://hooks.example/in", CallWebhooks.publicUrl("https://hooks.example/in?token=s3cret"));
        assertEquals("https://hooks.example/in", CallWebhooks.publicUrl("https://hooks.example/in#frag"));
        assertEquals("https://hooks.example/in", CallWebhooks.publicUrl("https://user:pw@hooks.example/in?a=b"));
        assertEquals("https://hooks.example", CallWebhooks.publicUrl("https://user:pw@hooks.example"));
        assertEquals("https://hooks.example/a@b", CallWebhooks.publicUrl("https://hooks.example/a@b"));
        assertEquals("not a url", CallWebhooks.publicUrl("not a url"));
    }
}
