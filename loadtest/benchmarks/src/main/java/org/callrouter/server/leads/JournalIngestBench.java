package org.callrouter.server.leads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.callrouter.routing.config.AttributionConfig;
import org.callrouter.server.records.Journal;
import org.callrouter.server.records.RecordJson;

/**
 * How fast {@link JournalIngest} stores a journal in the embedded DuckDB store (issue 12:
 * at least twice the router's highest clean call rate, for a minute). Not JMH: the question is
 * a rate sustained over a minute against a real database file, with the ingest's own thread.
 *
 * <pre>
 * java -cp loadtest/benchmarks/target/benchmarks.jar org.callrouter.server.leads.JournalIngestBench backlog CALLS [BATCH_MAX]
 * java -cp loadtest/benchmarks/target/benchmarks.jar org.callrouter.server.leads.JournalIngestBench live RATE SECONDS [BATCH_MAX]
 * </pre>
 *
 * {@code backlog}: CALLS call lines are in the journal before the ingest starts (a restart
 * after a long outage); prints the rate every 10 s and overall. {@code live}: a writer appends
 * RATE calls a second (every 10 ms) for SECONDS while the ingest runs; prints the calls stored
 * and the lag each second, the largest lag and how long the ingest took to catch up after the
 * writer stopped. Callers: 70% new numbers (a new lead each), 30% repeat callers; every call has
 * UTM tags, one in five a visitor session. Store: {@link StoreSettings#DEFAULT} (DuckDB, memory_limit
 * 512 MB, 2 threads, checkpoint_threshold 64 MB).
 */
public final class JournalIngestBench {

    private static final long DAY_MS = 86_400_000L;

    private JournalIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: JournalIngestBench backlog CALLS [BATCH_MAX] | live RATE SECONDS [BATCH_MAX]");
            System.exit(2);
        }
        final boolean live = args[0].equals("live");
        final int batchMax = Integer.parseInt(args.length > (live ? 3 : 2) ? args[live ? 3 : 2] : "5000");
        final Path dir = Files.createTempDirectory("ingest-bench");
        final Path journal = Files.createDirectories(dir.resolve("journal"));
        final Path file = journal.resolve(Journal.callsFile(Journal.day(System.currentTimeMillis())));
        try (LeadStore store = LeadStores.open(StoreSettings.DEFAULT, dir,
                AttributionConfig.DEFAULT)) {
            if (live) {
                live(store, journal, file, Integer.parseInt(args[1]), Integer.parseInt(args[2]), batchMax);
            } else {
                backlog(store, journal, file, Integer.parseInt(args[1]), batchMax);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static JournalIngest ingest(LeadStore store, Path journal, int batchMax) {
        return new JournalIngest(store, journal, "bench", new JournalIngest.Settings(batchMax, 100, 250, 30_000), null,
                Clock.systemUTC(), Throwable::printStackTrace);
    }

    private static void backlog(LeadStore store, Path journal, Path file, int calls, int batchMax) throws Exception {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            final long t0 = System.currentTimeMillis() - DAY_MS / 2;
            final StringBuilder chunk = new StringBuilder();
            for (int i = 0; i < calls; i++) {
                chunk.append(callLine(i, t0 + i * 10L)).append('\n');
                if (chunk.length() > 1 << 20) {
                    write(out, chunk);
                }
            }
            write(out, chunk);
        }
        System.out.printf("backlog: %d calls, %d MB of journal, batch_max %d%n", calls, Files.size(file) >> 20,
                batchMax);
        final JournalIngest ingest = ingest(store, journal, batchMax).start();
        final long startNs = System.nanoTime();
        long lastNs = startNs;
        long lastCount = 0;
        while (ingest.ingested(JournalIngest.Kind.CALL) < calls) {
            TimeUnit.MILLISECONDS.sleep(100);
            final long now = System.nanoTime();
            if (now - lastNs >= 10_000_000_000L) {
                final long count = ingest.ingested(JournalIngest.Kind.CALL);
                System.out.printf("  %5.1f s: %d calls stored, %.0f calls/s in the last 10 s%n",
                        (now - startNs) / 1e9, count, (count - lastCount) / ((now - lastNs) / 1e9));
                lastNs = now;
                lastCount = count;
            }
            if (ingest.failures() > 0) {
                throw new IllegalStateException("ingest failed: " + ingest.lastError());
            }
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        ingest.close();
        System.out.printf("backlog: %d calls stored in %.1f s: %.0f calls/s (%d skipped, %d errors)%n", calls, seconds,
                calls / seconds, ingest.skipped(), ingest.failures());
    }

    private static void live(LeadStore store, Path journal, Path file, int rate, int seconds, int batchMax)
            throws Exception {
        System.out.printf("live: %d calls/s for %d s, batch_max %d%n", rate, seconds, batchMax);
        final JournalIngest ingest = ingest(store, journal, batchMax).start();
        final int total = rate * seconds;
        final Thread writer = new Thread(() -> {
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                final long startNs = System.nanoTime();
                final StringBuilder chunk = new StringBuilder();
                int written = 0;
                for (long tick = 1; written < total; tick++) {
                    // The journal writes once per drain of the record ring: here every 10 ms.
                    final int due = (int) Math.min(total, tick * rate / 100);
                    for (; written < due; written++) {
                        chunk.append(callLine(written, System.currentTimeMillis())).append('\n');
                    }
                    write(out, chunk);
                    final long sleepNs = startNs + tick * 10_000_000L - System.nanoTime();
                    if (sleepNs > 0) {
                        TimeUnit.NANOSECONDS.sleep(sleepNs);
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, "journal-writer");
        final long startNs = System.nanoTime();
        writer.start();
        long maxLag = 0;
        long last = 0;
        long writerDoneNs = 0;
        for (int second = 1; ingest.ingested(JournalIngest.Kind.CALL) < total; second++) {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, startNs + second * 1_000_000_000L - System.nanoTime()));
            final long count = ingest.ingested(JournalIngest.Kind.CALL);
            maxLag = Math.max(maxLag, ingest.lagBytes());
            if (writerDoneNs == 0 && !writer.isAlive()) {
                writerDoneNs = System.nanoTime();
            }
            System.out.printf("  %3d s: %d stored (+%d), lag %d bytes%n", second, count, count - last,
                    ingest.lagBytes());
            last = count;
            if (ingest.failures() > 0) {
                throw new IllegalStateException("ingest failed: " + ingest.lastError());
            }
        }
        writer.join();
        final long endNs = System.nanoTime();
        if (writerDoneNs == 0) {
            writerDoneNs = endNs;
        }
        ingest.close();
        System.out.printf("live: %d calls written at %d/s in %.1f s, all stored %.2f s after the writer stopped; "
                        + "largest lag %d bytes; overall %.0f calls/s stored%n", total, rate,
                (writerDoneNs - startNs) / 1e9, (endNs - writerDoneNs) / 1e9, maxLag, total / ((endNs - startNs) / 1e9));
    }

    private static void write(FileChannel out, StringBuilder chunk) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(chunk.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        chunk.setLength(0);
    }

    /** A completed, answered call line as the journal has it (about 1.3 KB). */
    static String callLine(int i, long receivedMs) {
        // 70% of calls from a new number, 30% from one of the first 1000 callers again.
        final int caller = i % 10 < 7 ? i : i % 1000;
        final String session = i % 5 == 0 ? String.format("%032x", (long) i) : null;
        final String id = "c" + Long.toHexString(receivedMs) + String.format("%010d", i % 1_000_000_000);
        final String t0 = RecordJson.time(receivedMs);
        final String answered = RecordJson.time(receivedMs + 2_000);
        final String ended = RecordJson.time(receivedMs + 90_000);
        return "{\"record\":\"call\",\"id\":\"" + id + "\",\"key\":\"0aa4590222a605f45572ff713492806a\","
                + "\"status\":\"completed\",\"sip_status\":200,\"reason\":\"carrier hung up\","
                + "\"campaign\":\"auto-insurance\",\"source\":\"facebook\",\"caller\":\"+1415" + String.format("%07d", caller)
                + "\",\"dialed\":\"+18005550100\",\"received_at\":\"" + t0 + "\",\"answered_at\":\"" + answered
                + "\",\"ended_at\":\"" + ended + "\",\"ring_seconds\":2.000,\"talk_seconds\":88.000,"
                + "\"handler\":\"acme-sales\",\"converted\":true,\"revenue\":0,\"payout\":4.50,\"conversion\":"
                + "{\"source\":{\"status\":\"converted\",\"amount\":4.50,\"reason\":\"attempt\"},\"handler\":"
                + "{\"status\":\"not-converted\",\"amount\":0,\"reason\":\"timer 12s < 90s\"}},\"attempts\":[{"
                + "\"handler\":\"acme-sales\",\"started_at\":\"" + t0 + "\",\"ended_at\":\"" + answered
                + "\",\"result\":\"answered\",\"sip_status\":200}],\"skipped\":[],\"tags\":{\"caller_number\":"
                + "\"+14155550123\",\"caller_area_code\":\"415\",\"caller_state\":\"CA\",\"caller_country\":\"US\","
                + "\"dialed_number\":\"+18005550100\",\"source\":\"facebook\",\"campaign\":\"auto-insurance\","
                + "\"utm_source\":\"facebook\",\"utm_campaign\":\"spring-" + (i % 20) + "\",\"utm_term\":\"car insurance\","
                + "\"landing_page\":\"https://cars.example/quote\"}"
                + (session == null ? "" : ",\"session\":\"" + session + "\",\"page_path\":[\"https://cars.example/quote\"]")
                + ",\"routing_seconds\":0.000012}";
    }
}
