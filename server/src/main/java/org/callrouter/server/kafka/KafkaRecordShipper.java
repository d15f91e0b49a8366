package org.callrouter.server.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonParser;
import org.agrona.ErrorHandler;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.callrouter.routing.config.ServerSettings;
import org.callrouter.server.records.Journal;
import org.callrouter.server.records.JournalPosition;
import org.callrouter.server.records.JournalTail;
import org.callrouter.server.records.RecordJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records to Kafka (server README): one thread follows the journal's {@code calls-*} and
 * {@code conversions-*} files and sends each line, as written, to the topic with the call id as
 * its key, through an idempotent producer ({@code enable.idempotence}, {@code acks=all}).
 *
 * <p>The journal stays the source of truth and the emitter never waits on Kafka: this thread
 * only reads files the record pipeline wrote. Lines are sent in journal order, at most
 * {@code batch_max} unacknowledged at a time; the position after the last line of an unbroken
 * run of acknowledged lines goes to {@link ShippedPositions} (only then), so a restart of the
 * router sends again only what the broker had not acknowledged. While the broker is away the
 * lines wait: those read and not acknowledged are {@link #waiting}, those not read yet are
 * {@link #lagBytes}; nothing is dropped. A send that fails ({@code delivery_timeout_ms} passed,
 * or the broker refused it) is counted in {@link #failed} and sent again after a pause.
 */
public final class KafkaRecordShipper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordShipper.class);
    /** Every file is looked at again this often (the rest of the time, only recent or unfinished ones). */
    private static final long FULL_SCAN_MS = 60_000;
    /** First pause before failed sends are tried again; doubled up to {@link #MAX_RETRY_MS}. */
    private static final long FIRST_RETRY_MS = 500;
    private static final long MAX_RETRY_MS = 30_000;
    /** How long {@code send} may wait for the topic's metadata or buffer room before it counts as failed. */
    private static final int MAX_BLOCK_MS = 5_000;
    /** How long a stop waits for the records in flight to be acknowledged. */
    private static final long CLOSE_WAIT_MS = 5_000;
    /** Most time between an acknowledgement and the save of the position it reaches. */
    private static final long SAVE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How a call line and a conversion line start, up to their call id. */
    private static final String CALL_START = RecordJson.callPrefix("").replaceAll("\"$", "");
    private static final String CONVERSION_START = RecordJson.conversionPrefix("").replaceAll("\"$", "");

    /** Where the shipper stands. */
    public enum State {
        /** Not yet sent anything. */
        STARTING,
        /** The broker acknowledges what is sent. */
        SHIPPING,
        /** Sends failed: the records wait and are sent again. */
        RETRYING,
        /** Closed. */
        STOPPED
    }

    /** One journal line on its way; its status is set by the producer's I/O thread. */
    private static final class Pending {
        static final int UNSENT = 0;
        static final int IN_FLIGHT = 1;
        static final int ACKED = 2;
        static final int FAILED = 3;

        final String file;
        final long end;
        final String key;
        final byte[] value;
        volatile int status = UNSENT;

        Pending(String file, long end, String key, byte[] value) {
            this.file = file;
            this.end = end;
            this.key = key;
            this.value = value;
        }
    }

    private final ServerSettings.Kafka settings;
    private final Properties producerProperties;
    /** Made on the shipper's thread: making it fails while a broker's name does not resolve, and is tried again. */
    private volatile Producer<String, byte[]> producer;
    private final JournalTail tail;
    private final ShippedPositions positionFile;
    private final Path journalDir;
    private final Clock wall;
    private final ErrorHandler errors;
    private final Thread thread;
    /** Journal file → offset acknowledged (the shipper thread writes it; retention may read it). */
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private volatile State state = State.STARTING;
    private volatile long waiting;
    private volatile long lagBytes;
    private volatile String lastError;
    private volatile boolean running = true;
    private long nextFullScanMs;
    private long retryAtMs;
    private long retryPauseMs = FIRST_RETRY_MS;
    private long lastSaveNs = System.nanoTime();
    private boolean unsaved;

    private KafkaRecordShipper(ServerSettings.Kafka settings, Properties producerProperties, Path journalDir,
                               ShippedPositions positionFile, Map<String, JournalPosition> start, Clock wall,
                               ErrorHandler errors) {
        this.settings = settings;
        this.producerProperties = producerProperties;
        this.positionFile = positionFile;
        this.journalDir = journalDir;
        this.wall = wall;
        this.errors = errors;
        this.tail = new JournalTail(journalDir, EnumSet.of(JournalTail.Stream.CALLS, JournalTail.Stream.CONVERSIONS),
                start);
        start.values().forEach(p -> acked.put(p.file(), p.offset()));
        this.thread = new Thread(this::run, "records-kafka");
        thread.setDaemon(true);
    }

    /**
     * Checks the producer's settings, reads the acknowledged positions
     * ({@code <data_dir>/kafka-<topic>.positions}) and starts the thread. The broker need not be
     * up, nor its name resolve: records wait until it answers.
     *
     * @throws IllegalStateException when a producer setting ({@code properties}) is not valid
     * @throws IOException           when the position file cannot be read
     */
    public static KafkaRecordShipper start(ServerSettings.Kafka settings, Path dataDir, Path journalDir, Clock wall,
                                           ErrorHandler errors) throws IOException {
        final Properties properties = producerProperties(settings);
        try {
            new ProducerConfig(properties);
        } catch (ConfigException e) {
            throw new IllegalStateException("server.records.kafka: " + e.getMessage(), e);
        }
        final ShippedPositions positions = new ShippedPositions(dataDir.resolve("kafka-" + settings.topic()
                + ".positions"));
        final Map<String, JournalPosition> start = positions.load();
        final KafkaRecordShipper shipper = new KafkaRecordShipper(settings, properties, journalDir, positions, start,
                wall, errors);
        LOG.info("records to Kafka: topic {} at {}, from {} ({} journal files shipped before)", settings.topic(),
                settings.bootstrapServers(), positions.file(), start.size());
        shipper.thread.start();
        return shipper;
    }

    /** The producer's settings: the operator's {@code properties}, then the ones the router owns. */
    static Properties producerProperties(ServerSettings.Kafka settings) {
        final Properties p = new Properties();
        p.putAll(settings.properties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // Idempotence: the broker drops a retried batch it already has, so a broker restart or a lost
        // answer does not write a record twice within this producer's life. It needs acks=all and at
        // most 5 requests in flight per connection, which also keep each partition in send order.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(settings.lingerMs()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(settings.deliveryTimeoutMs()));
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms: keep the request timeout under it.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Integer.toString(Math.min(30_000, settings.deliveryTimeoutMs() - settings.lingerMs())));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(MAX_BLOCK_MS));
        return p;
    }

    private void run() {
        while (running) {
            final long pauseMs;
            try {
                pauseMs = step();
            } catch (RuntimeException e) {
                errors.onError(e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(settings.pollMs()));
                continue;
            }
            if (pauseMs > 0 && running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
            }
        }
    }

    /**
     * One round: records the acknowledged run, reads more lines while fewer than
     * {@code batch_max} are in flight, sends what is unsent (and, when the pause is over, what
     * failed).
     *
     * @return how long to rest: 0 when more may be read at once
     */
    long step() {
        final long nowMs = wall.millis();
        advance(false);
        int read = 0;
        if (inFlight.size() < settings.batchMax()) {
            read = read(nowMs);
        }
        // After a failure nothing is sent until the pause is over: while the broker is away each send
        // would wait max.block.ms for the topic's metadata.
        final boolean retry = nowMs >= retryAtMs;
        boolean failures = retry && producer == null && !makeProducer();
        for (Pending p : inFlight) {
            if (failures) {
                break;
            }
            if (retry && (p.status == Pending.UNSENT || p.status == Pending.FAILED)) {
                send(p);
            }
            // Refused at once (the producer calls back before send returns): the rest would be too.
            failures = p.status == Pending.FAILED;
        }
        if (failures && retry) {
            retryAtMs = nowMs + retryPauseMs;
            retryPauseMs = Math.min(MAX_RETRY_MS, retryPauseMs * 2);
        }
        waiting = inFlight.size();
        if (read > 0 && inFlight.size() < settings.batchMax()) {
            return 0;
        }
        // Acknowledgements wake the thread (the callback unparks it); otherwise look again in a poll.
        return settings.pollMs();
    }

    private int read(long nowMs) {
        final boolean fullScan = nowMs >= nextFullScanMs;
        if (fullScan) {
            nextFullScanMs = nowMs + FULL_SCAN_MS;
        }
        final List<JournalTail.Line> lines;
        try {
            lines = tail.read(settings.batchMax() - inFlight.size(), fullScan, Journal.day(nowMs));
        } catch (IOException e) {
            lastError = "cannot read the journal: " + e.getMessage();
            errors.onError(new IOException("records to Kafka: cannot read the journal", e));
            return 0;
        }
        lagBytes = tail.lagBytes();
        if (lines.isEmpty()) {
            return 0;
        }
        final Map<String, Long> taken = new HashMap<>();
        for (JournalTail.Line line : lines) {
            taken.merge(line.file(), line.end(), Math::max);
            final String id = callId(line.text());
            if (id == null) {
                // Cut short by a crash (the writer ended it with a newline when it reopened the file), or empty.
                skipped.increment();
                if (!line.text().isEmpty()) {
                    errors.onError(new IOException("records to Kafka: the line of " + line.file() + " ending at byte "
                            + line.end() + " is not a whole journal record: not sent"));
                }
                // Kept in order so that the position passes it only when the lines before it are acknowledged.
                final Pending nothing = new Pending(line.file(), line.end(), null, null);
                nothing.status = Pending.ACKED;
                inFlight.add(nothing);
                continue;
            }
            inFlight.add(new Pending(line.file(), line.end(), id, line.text().getBytes(StandardCharsets.UTF_8)));
        }
        // The tail's offsets are what was read; what was acknowledged is kept apart (acked, the position file).
        tail.stored(taken);
        return lines.size();
    }

    /** Makes the producer; false (counted as a failure) when it cannot, e.g. no broker name resolves. */
    private boolean makeProducer() {
        try {
            producer = new KafkaProducer<>(producerProperties);
            return true;
        } catch (KafkaException e) {
            failed(e.getCause() != null ? e.getCause() : e);
            return false;
        }
    }

    /** Hands a record to the producer; a record it refuses at once is FAILED when this returns. */
    private void send(Pending p) {
        p.status = Pending.IN_FLIGHT;
        try {
            producer.send(new ProducerRecord<>(settings.topic(), p.key, p.value), (metadata, exception) -> {
                if (exception == null) {
                    p.status = Pending.ACKED;
                } else {
                    sendFailed(p, exception);
                }
                LockSupport.unpark(thread);
            });
        } catch (KafkaException e) {
            // A closed producer, or a record it cannot serialise. (No metadata or buffer room within
            // max.block.ms, the broker being away, comes through the callback, before send returns.)
            sendFailed(p, e);
        }
    }

    private void sendFailed(Pending p, Exception e) {
        p.status = Pending.FAILED;
        failed(e);
    }

    private void failed(Throwable e) {
        final String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (state != State.RETRYING) {
            LOG.warn("records to Kafka: a send to {} failed, records wait in the journal and are sent again: {}",
                    settings.topic(), message);
        }
        lastError = message;
        state = State.RETRYING;
        // Counted last: whoever sees the count sees the state and the reason.
        failed.increment();
    }

    /**
     * Drops the acknowledged lines at the head and saves the position they reach (now when
     * {@code force}, else when {@link #SAVE_EVERY_NS} has passed since the last save).
     */
    private void advance(boolean force) {
        boolean moved = false;
        while (!inFlight.isEmpty() && inFlight.peekFirst().status == Pending.ACKED) {
            final Pending p = inFlight.pollFirst();
            acked.put(p.file, p.end);
            if (p.key != null) {
                sent.increment();
            }
            moved = true;
        }
        if (moved) {
            unsaved = true;
        }
        final long nowNs = System.nanoTime();
        if (unsaved && (force || nowNs - lastSaveNs >= SAVE_EVERY_NS)) {
            // At most every SAVE_EVERY_NS: an fsync per acknowledgement would cost the machine's disk
            // more than the window it closes (what a crash then sends twice).
            lastSaveNs = nowNs;
            try {
                positionFile.save(acked);
                unsaved = false;
            } catch (IOException e) {
                // The broker has these records; a restart before the next save sends them again.
                errors.onError(new IOException("records to Kafka: cannot write " + positionFile.file(), e));
            }
        }
        if (!moved) {
            return;
        }
        if (state != State.SHIPPING && noFailures()) {
            if (state == State.RETRYING) {
                LOG.info("records to Kafka: the broker acknowledges again");
            }
            state = State.SHIPPING;
            lastError = null;
            retryPauseMs = FIRST_RETRY_MS;
        }
        waiting = inFlight.size();
    }

    private boolean noFailures() {
        for (Pending p : inFlight) {
            if (p.status == Pending.FAILED) {
                return false;
            }
        }
        return true;
    }

    /**
     * The call id of a whole {@code call} or {@code conversion} line (it comes second, after
     * {@code record}); null for anything else: a line cut short by a crash does not parse.
     */
    static String callId(String line) {
        final int idStart;
        if (line.startsWith(CALL_START)) {
            idStart = CALL_START.length();
        } else if (line.startsWith(CONVERSION_START)) {
            idStart = CONVERSION_START.length();
        } else {
            return null;
        }
        final int idEnd = line.indexOf('"', idStart);
        if (idEnd <= idStart || !wholeJson(line)) {
            return null;
        }
        return line.substring(idStart, idEnd);
    }

    private static boolean wholeJson(String line) {
        try (JsonParser parser = RecordJson.mapper().getFactory().createParser(line)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Where the shipper stands. */
    public State state() {
        return state;
    }

    /** Records acknowledged by the broker since start. */
    public long sent() {
        return sent.sum();
    }

    /** Sends that failed (each is tried again) since start. */
    public long failed() {
        return failed.sum();
    }

    /** Journal lines not sent: not a whole record (cut short by a crash). */
    public long skipped() {
        return skipped.sum();
    }

    /** Records read from the journal and not yet acknowledged (at most {@code batch_max}). */
    public long waiting() {
        return waiting;
    }

    /** Journal bytes not read yet (as of the last read): the records waiting behind {@link #waiting}. */
    public long lagBytes() {
        return lagBytes;
    }

    /** Why the last send or read failed; null once the broker acknowledges again. */
    public String lastError() {
        return lastError;
    }

    /**
     * Whether the shipper is done with a journal file (by name): every record of it acknowledged,
     * or a file it does not send (visits). Safe from any thread (journal retention asks).
     */
    public boolean doneWith(String file) {
        if (!file.startsWith("calls-") && !file.startsWith("conversions-")) {
            return true;
        }
        try {
            return acked.getOrDefault(file, 0L) >= Files.size(journalDir.resolve(file));
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The topic. */
    public String topic() {
        return settings.topic();
    }

    /**
     * Stops the thread, waits up to 5 s for the records in flight, saves the position and
     * closes the producer. What is not acknowledged by then is sent at the next start.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        while (hasInFlight() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        advance(true);
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        state = State.STOPPED;
    }

    private boolean hasInFlight() {
        for (Pending p : inFlight) {
            if (p.status == Pending.IN_FLIGHT) {
                return true;
            }
        }
        return false;
    }
}
