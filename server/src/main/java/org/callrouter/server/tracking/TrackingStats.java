package org.callrouter.server.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the tracking listener counts, for metrics: requests by the status answered, requests
 * refused by a rate limit by scope, and the landing-page script's failure reports by pool and by
 * pool and page (bounded: {@value #MAX_FAILURE_PAGES} pages, then {@code other}). Owned
 * by {@code RouterServer}, so the counts outlive a reload and a restart of the listener; written
 * on the tracking event loop, read by metrics from any thread.
 */
public final class TrackingStats {

    /** The statuses the listener answers, each with its own {@code callrouter_tracking_requests_total}. */
    public static final List<Integer> STATUSES = List.of(200, 204, 304, 400, 403, 404, 405, 413, 429, 500, 503);

    /** Which rate limit refused a request. */
    public enum Scope {
        ADDRESS("address"), POOL("pool");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        /** The metric tag's value. */
        public String label() {
            return label;
        }
    }

    private final AtomicLongArray byStatus = new AtomicLongArray(600);
    private final AtomicLongArray rateLimited = new AtomicLongArray(Scope.values().length);
    private final ConcurrentHashMap<String, LongAdder> scriptFailures = new ConcurrentHashMap<>();
    /** Failure reports by pool and page; at most {@link #MAX_FAILURE_PAGES} pages, the rest under {@link #OTHER_PAGE}. */
    private final ConcurrentHashMap<PoolPage, LongAdder> failuresByPage = new ConcurrentHashMap<>();
    private volatile Consumer<PoolPage> onNewPage = page -> { };

    /** The most distinct (pool, page) pairs whose failure reports are counted apart. */
    public static final int MAX_FAILURE_PAGES = 100;
    /** The page of failure reports past {@link #MAX_FAILURE_PAGES}. */
    public static final String OTHER_PAGE = "other";
    /** The page of a failure report without a {@code page_url}. */
    public static final String NO_PAGE = "none";
    /** The longest page label kept (a longer one is cut). */
    static final int MAX_PAGE_CHARS = 200;

    /** A pool and a landing page (host and path, no query: the query would make every visit a page). */
    public record PoolPage(String pool, String page) {
    }

    void answered(int status) {
        byStatus.incrementAndGet(status);
    }

    void refused(Scope scope) {
        rateLimited.incrementAndGet(scope.ordinal());
    }

    /** Counts a failure report of a pool that exists (so the map is bounded by the configuration). */
    private void scriptFailure(String pool) {
        scriptFailures.computeIfAbsent(pool, p -> new LongAdder()).increment();
    }

    /** Requests answered with {@code status} since start. */
    public long requests(int status) {
        return byStatus.get(status);
    }

    /** Requests refused by the {@code scope} rate limit since start. */
    public long rateLimited(Scope scope) {
        return rateLimited.get(scope.ordinal());
    }

    /**
     * Counts a failure report of {@code pool} from {@code page} (host and path, see
     * {@link #pageOf}); past {@link #MAX_FAILURE_PAGES} distinct pairs, under {@link #OTHER_PAGE}.
     */
    void scriptFailure(String pool, String page) {
        scriptFailure(pool);
        PoolPage key = new PoolPage(pool, page);
        LongAdder count = failuresByPage.get(key);
        if (count == null) {
            if (failuresByPage.size() >= MAX_FAILURE_PAGES) {
                key = new PoolPage(pool, OTHER_PAGE);
            }
            final boolean[] created = {false};
            count = failuresByPage.computeIfAbsent(key, k -> {
                created[0] = true;
                return new LongAdder();
            });
            if (created[0]) {
                onNewPage.accept(key);
            }
        }
        count.increment();
    }

    /** The page label of a reported {@code page_url}: host and path, at most {@link #MAX_PAGE_CHARS} characters. */
    static String pageOf(String pageUrl) {
        if (pageUrl == null) {
            return NO_PAGE;
        }
        String page;
        try {
            final URI uri = new URI(pageUrl);
            page = (uri.getHost() == null ? "" : uri.getHost()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (URISyntaxException e) {
            page = pageUrl;
        }
        if (page.isEmpty()) {
            return NO_PAGE;
        }
        return page.length() > MAX_PAGE_CHARS ? page.substring(0, MAX_PAGE_CHARS) : page;
    }

    /** Calls {@code listener} for each (pool, page) counted apart, now and whenever a new one appears. */
    public void onNewPage(Consumer<PoolPage> listener) {
        onNewPage = listener;
        failuresByPage.keySet().forEach(listener);
    }

    /** Failure reports the script sent for {@code pool} from {@code page} since start. */
    public long scriptFailures(PoolPage page) {
        final LongAdder count = failuresByPage.get(page);
        return count == null ? 0 : count.sum();
    }

    /** Failure reports the script sent for {@code pool} since start. */
    public long scriptFailures(String pool) {
        final LongAdder count = scriptFailures.get(pool);
        return count == null ? 0 : count.sum();
    }
}
