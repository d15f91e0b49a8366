package org.callrouter.server.admin;

import static org.callrouter.server.admin.ServiceFixture.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.callrouter.server.Await;
import org.callrouter.server.RouterProcess;
import org.callrouter.server.kafka.KafkaBroker;
import org.callrouter.server.metrics.PrometheusText;
import org.callrouter.server.sipua.Behaviour;
import org.callrouter.server.sipua.Peers;
import org.callrouter.server.sipua.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records to Kafka with a real broker: a KRaft broker from the {@code kafka_2.13} artifact in a
 * child JVM, a real router on loopback with {@code server.records.kafka}, real calls from a
 * jain-sip-ri carrier. The broker is stopped while calls go on and started again on the same
 * log directory; then the router is restarted. Every call's journal line is in the topic once,
 * byte for byte, keyed by its call id. Without the setting, a router process loads no Kafka
 * class. Ports 63000-63499.
 */
class KafkaRecordsIntegrationTest {

    private static final int FIRST_PORT = 63000;
    private static final int LAST_PORT = 63499;
    private static final String NUMBER = "+18005550100";
    private static final String TOPIC = "call-records";
    /** Most calls made while the broker is stopped and restarted (the test stops them earlier). */
    private static final int MAX_CALLS = 400;
    private static final Duration CALL_GAP = Duration.ofMillis(100);
    /** Calls made after the router's restart. */
    private static final int LATER_CALLS = 5;
    private static final Duration SHIPPED = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void everyRecordIsInTheTopicOncePerCallIdAfterABrokerRestartAndARouterRestart() throws Exception {
        try (Peers peers = Peers.open(FIRST_PORT, LAST_PORT);
             KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), Ports.free(FIRST_PORT, LAST_PORT),
                     Ports.free(FIRST_PORT, LAST_PORT))) {
            broker.createTopic(TOPIC, 3);
            peers.first().behaviour(Behaviour.busy());
            final String routing = """
                    sources:
                      - id: web
                    handlers:
                      - { id: first, uri: "%s", timeout_seconds: 2 }
                    campaigns:
                      - id: sales
                        handlers: [first]
                    numbers:
                      - { number: "%s", campaign: sales, source: web }
                    """.formatted(peers.first().uri(), NUMBER);
            // No lead store: the test is about the journal and the topic, and the store's start costs seconds.
            final String kafka = """
                      store: { enabled: false }
                      records:
                        kafka: { bootstrap: ["%s"], topic: %s, batch_max: 500, poll_ms: 20 }
                    """.formatted(broker.bootstrap(), TOPIC);
            try (ServiceFixture router = ServiceFixture.start(dir.resolve("router"), FIRST_PORT, LAST_PORT, routing,
                    kafka, "")) {
                // Calls go on from another thread, one every CALL_GAP, while the broker stops and starts again.
                final AtomicInteger made = new AtomicInteger();
                final AtomicBoolean enough = new AtomicBoolean();
                final CompletableFuture<Void> calls = CompletableFuture.runAsync(() -> {
                    while (!enough.get() && made.get() < MAX_CALLS) {
                        call(peers, router);
                        made.incrementAndGet();
                        LockSupport.parkNanos(CALL_GAP.toNanos());
                    }
                });
                Await.until(SHIPPED, () -> metric(router, "records_kafka_sent_total") >= 3 || calls.isDone(),
                        () -> "3 records sent; " + kafkaMetrics(router) + "\n" + broker.output());
                broker.stop();
                // The records of calls made during the outage wait, counted.
                final int madeAtStop = made.get();
                Await.until(SHIPPED, () -> made.get() >= madeAtStop + 3 || calls.isDone(),
                        () -> made.get() + " calls made");
                Await.until(SHIPPED, () -> metric(router, "records_kafka_waiting") >= 3,
                        () -> "records waiting while the broker is down; " + kafkaMetrics(router));
                broker.start();
                final int madeAtRestart = made.get();
                Await.until(SHIPPED, () -> made.get() >= madeAtRestart + 3 || calls.isDone(),
                        () -> made.get() + " calls made");
                enough.set(true);
                calls.get(SHIPPED.toSeconds(), TimeUnit.SECONDS);
                final int streamed = made.get();
                Await.until(SHIPPED, () -> metric(router, "records_kafka_sent_total") >= streamed,
                        () -> streamed + " records acknowledged; " + kafkaMetrics(router));
                assertEquals(0, metric(router, "records_kafka_waiting"), () -> kafkaMetrics(router));
                assertEquals(streamed, metric(router, "records_kafka_sent_total"), () -> kafkaMetrics(router));
                // The whole page still parses with the reference parser, the new series included.
                assertEquals(streamed, PrometheusText.samples(router.get("/metrics").body())
                        .get("records_kafka_sent_total"));

                // A restart of the router sends only what was not acknowledged: here nothing, then the new calls.
                router.restart();
                for (int i = 0; i < LATER_CALLS; i++) {
                    call(peers, router);
                }
                Await.until(SHIPPED, () -> metric(router, "records_kafka_sent_total") >= LATER_CALLS,
                        () -> LATER_CALLS + " records acknowledged after the restart; " + kafkaMetrics(router));

                final Map<String, String> journal = journalLines(router.dataDir().resolve("journal"));
                assertEquals(streamed + LATER_CALLS, journal.size(), journal::toString);
                final Map<String, List<String>> topic = consumeAll(broker.bootstrap(), journal.size());
                for (Map.Entry<String, String> line : journal.entrySet()) {
                    assertEquals(List.of(line.getValue()), topic.get(line.getKey()),
                            () -> "call " + line.getKey() + " in the topic");
                }
                assertEquals(journal.keySet(), topic.keySet());
                assertEquals(LATER_CALLS, metric(router, "records_kafka_sent_total"),
                        () -> "the restart sent again what had been acknowledged; " + kafkaMetrics(router));
            }
        }
    }

    @Test
    void withoutTheSettingNoKafkaClassIsLoaded() throws IOException {
        final int sipPort = Ports.free(FIRST_PORT, LAST_PORT);
        final int adminPort = Ports.free(FIRST_PORT, LAST_PORT);
        final Path config = dir.resolve("router.yaml");
        Files.writeString(config, """
                default_region: US
                server:
                  data_dir: %s
                  sip: { listen: ["udp:127.0.0.1:%d"] }
                  admin: { listen: "127.0.0.1:%d" }
                  health: { enabled: false }
                  store: { enabled: false }
                sources: [ { id: web } ]
                handlers:
                  - { id: first, uri: "sip:127.0.0.1:%d" }
                campaigns:
                  - { id: sales, handlers: [first] }
                numbers:
                  - { number: "%s", campaign: sales, source: web }
                """.formatted(dir.resolve("data"), sipPort, adminPort, Ports.free(FIRST_PORT, LAST_PORT), NUMBER));
        final Path classes = dir.resolve("classes.txt");
        try (RouterProcess router = RouterProcess.start(config, "http://127.0.0.1:" + adminPort,
                dir.resolve("router.log"), List.of("-Xlog:class+load=info:file=" + classes))) {
            assertEquals(0, router.terminate(), router::output);
        }
        final List<String> loaded = Files.readAllLines(classes);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("org.callrouter.server.admin.RouterService ")),
                "the class log is complete");
        assertEquals(List.of(), loaded.stream()
                .filter(l -> l.contains("org.apache.kafka.") || l.contains("org.callrouter.server.kafka.")).toList());
    }

    private static void call(Peers peers, ServiceFixture router) {
        assertEquals(480, peers.carrier().call(router.sipHostPort(), NUMBER).awaitFinal(WAIT).status());
    }

    /** A sample of the {@code /metrics} page without labels (0 when absent). */
    private static double metric(ServiceFixture router, String name) {
        for (String line : router.get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    private static String kafkaMetrics(ServiceFixture router) {
        final StringBuilder out = new StringBuilder();
        for (String line : router.get("/metrics").body().split("\n")) {
            if (line.startsWith("records_kafka_")) {
                out.append(line).append("; ");
            }
        }
        return out.toString();
    }

    /** The journal's call lines by call id. */
    private static Map<String, String> journalLines(Path journal) throws IOException {
        final Map<String, String> lines = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(journal, "calls-*.jsonl")) {
            for (Path file : files) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    final String id = ServiceFixture.json(line).path("id").asText();
                    assertTrue(lines.put(id, line) == null, () -> "two journal lines of call " + id);
                }
            }
        }
        return lines;
    }

    /** Every record of the topic (its end offsets, at least {@code expected}), values by key. */
    private static Map<String, List<String>> consumeAll(String bootstrap, int expected) {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(TOPIC, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(TOPIC, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long total = consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream()
                    .mapToLong(Long::longValue).sum();
            assertEquals(expected, total, "records in the topic (the sum of its partitions' end offsets)");
            final Map<String, List<String>> byKey = new HashMap<>();
            final AtomicInteger read = new AtomicInteger();
            Await.until(Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    byKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(new String(r.value(), StandardCharsets.UTF_8));
                    read.incrementAndGet();
                }
                return read.get() >= total;
            }, () -> read.get() + " of " + total + " records read");
            return byKey;
        }
    }
}
