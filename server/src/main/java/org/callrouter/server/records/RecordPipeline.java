package org.callrouter.server.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.callrouter.routing.ConversionService;
import org.callrouter.routing.config.ServerSettings;

/**
 * The asynchronous record pipeline (issue 5): the SIP loop publishes call events into an
 * Agrona ring buffer ({@link #events()}); one emitter thread drains it, assembles each call's
 * record and hands it to the journal and the other sinks (metrics, webhooks). The admin API
 * asks for postbacks and lookups through the same buffer ({@link #postback}, {@link #find}).
 *
 * <p>{@link #close} drains everything published, writes it and forces it to disk: stop the
 * SIP side first (every call ended) and nothing is lost.
 */
public final class RecordPipeline implements AutoCloseable {

    /** How long a publisher waits for room in a full buffer before dropping the event. */
    static final long FULL_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long an admin request waits for the emitter. */
    private static final long ANSWER_TIMEOUT_MS = 10_000;

    private final ManyToOneRingBuffer ring;
    private final CallEventPublisher publisher;
    private final Tickets tickets = new Tickets();
    private final Journal journal;
    private final JournalReader reader;
    private final RecordAssembler assembler;
    private final RecordEmitter emitter;
    private final AgentRunner runner;
    private final Clock wall;
    private boolean closed;

    /**
     * Opens the journal and starts the emitter thread.
     *
     * @param records   {@code server.records}, with the journal directory resolved.
     * @param maxCallMs the longest a call may last, ringing included (finds calls in the journal).
     * @param sinks     told of each record after the journal (metrics, webhooks).
     * @param errors    told of anything a sink or a message throws.
     * @throws IOException when the journal directory cannot be created.
     */
    public RecordPipeline(ServerSettings.Records records, Path journalDir, long maxCallMs, List<RecordSink> sinks,
                          Clock wall, ErrorHandler errors) throws IOException {
        this.wall = wall;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(records.ringBufferBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
        this.publisher = new CallEventPublisher(ring, FULL_WAIT_NS);
        this.journal = new Journal(journalDir, records.fsyncIntervalMs(), errors);
        this.reader = new JournalReader(journalDir, wall, maxCallMs);
        final List<RecordSink> all = new ArrayList<>(sinks.size() + 1);
        all.add(journal);
        all.addAll(sinks);
        this.assembler = new RecordAssembler(all, journal, tickets, errors);
        this.emitter = new RecordEmitter(ring, new CallEventAdapter(assembler, errors), assembler, all, errors, wall,
                2 * maxCallMs + TimeUnit.HOURS.toMillis(1));
        this.runner = new AgentRunner(new SleepingIdleStrategy(RecordEmitter.REST_NS), errors::onError, null, emitter);
        AgentRunner.startOnThread(runner);
    }

    /** Where the SIP loop publishes call events. */
    public CallEventPublisher events() {
        return publisher;
    }

    /** Sets where postbacks are decided (the router's service, once the router is open). */
    public void conversions(ConversionService service) {
        assembler.conversions(service);
    }

    /**
     * A postback conversion for a call (admin thread; waits for the emitter and the journal's
     * fsync). The call is looked for in the emitter's memory, then in the journal.
     *
     * @return the answer; empty when no such call is known.
     * @throws TimeoutException when the emitter does not answer in time (or the buffer stays full).
     */
    public Optional<PostbackResult> postback(String callId, String key) throws TimeoutException {
        final long atMs = wall.millis();
        PostbackResult result = (PostbackResult) ask(ticket -> publisher.postback(ticket, callId, key, null, atMs));
        if (result.status() == PostbackResult.Status.NOT_IN_MEMORY) {
            final Optional<ObjectNode> line = reader.find(callId);
            if (line.isEmpty()) {
                return Optional.empty();
            }
            final String text = RecordJson.toText(line.get());
            result = (PostbackResult) ask(ticket -> publisher.postback(ticket, callId, key, text, atMs));
        }
        return Optional.of(result);
    }

    /**
     * A call's record: from the emitter when it holds it (in progress, or ended recently),
     * else from the journal.
     *
     * @throws TimeoutException when the emitter does not answer in time.
     */
    public Optional<ObjectNode> find(String callId) throws TimeoutException {
        final String held = (String) ask(ticket -> publisher.lookup(ticket, callId));
        if (held != null) {
            try {
                return Optional.of(RecordJson.parse(held));
            } catch (IOException e) {
                throw new IllegalStateException("the emitter's own JSON does not parse", e);
            }
        }
        return reader.find(callId);
    }

    /** Finished calls from the journal. */
    public List<ObjectNode> query(JournalReader.Query query) {
        return reader.query(query);
    }

    /** {@link JournalReader#page}: a page of the journal's calls, after {@code after} (null: the first). */
    public List<JournalReader.Listed> page(JournalReader.Query query, JournalReader.Position after) {
        return reader.page(query, after);
    }

    /** Events published and not yet taken by the emitter. */
    public long pending() {
        return Math.max(0, publisher.published() - emitter.consumed());
    }

    /** Bytes of the ring buffer in use. */
    public int bufferedBytes() {
        return ring.size();
    }

    /** The ring buffer's capacity in bytes. */
    public int bufferCapacity() {
        return ring.capacity();
    }

    /** Calls in progress, as the emitter last saw them. */
    public int liveCalls() {
        return emitter.liveCalls();
    }

    /** Lines written to the journal since start. */
    public long journalLines() {
        return journal.linesWritten();
    }

    /** The journal (for its failure state and lost lines). */
    public Journal journal() {
        return journal;
    }

    public Path journalDir() {
        return journal.dir();
    }

    /** Whether the emitter thread is running. */
    public boolean running() {
        return !runner.isClosed() && runner.thread() != null && runner.thread().isAlive();
    }

    /** Drains everything published, writes and forces it, stops the emitter. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        runner.close();
    }

    private Object ask(TicketPublisher request) throws TimeoutException {
        final CompletableFuture<Object> answer = new CompletableFuture<>();
        final long ticket = tickets.open(answer);
        if (!request.publish(ticket)) {
            tickets.abandon(ticket);
            throw new TimeoutException("the record buffer is full");
        }
        try {
            return answer.get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tickets.abandon(ticket);
            throw new TimeoutException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            tickets.abandon(ticket);
            throw new TimeoutException("the record emitter did not answer within " + ANSWER_TIMEOUT_MS + " ms");
        }
    }

    @FunctionalInterface
    private interface TicketPublisher {
        boolean publish(long ticket);
    }
}
