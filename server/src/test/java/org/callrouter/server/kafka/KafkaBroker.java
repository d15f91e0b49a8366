package org.callrouter.server.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.Kafka;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.callrouter.server.Await;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process, no
 * ZooKeeper), run from the {@code kafka_2.13} artifact on the test class path as a child JVM on
 * two loopback ports ({@link #main}: {@code kafka-storage format}, then {@code kafka.Kafka}). It
 * can be stopped (SIGTERM: a controlled shutdown) and started again on the same log directory.
 * Its output goes to a log file shown when something fails.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final Path properties;
    private final Path log;
    private final int port;
    private final String clusterId;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, String clusterId) {
        this.dir = dir;
        this.port = port;
        this.clusterId = clusterId;
        this.properties = dir.resolve("server.properties");
        this.log = dir.resolve("broker.log");
        final String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        try {
            Files.createDirectories(dir);
            Files.writeString(properties, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker on a new log directory under {@code dir}, on {@code port}. */
    public static KafkaBroker start(Path dir, int port, int controllerPort) {
        final KafkaBroker broker = new KafkaBroker(dir, port, controllerPort, Uuid.randomUuid().toString());
        broker.start();
        return broker;
    }

    /**
     * The child JVM: formats the log directory unless it is formatted already (one JVM start
     * instead of two), then runs the broker until SIGTERM.
     *
     * @param args the properties file, the cluster id
     */
    public static void main(String[] args) throws Exception {
        final int formatted = StorageTool.execute(new String[] {"format", "--ignore-formatted", "-t", args[1], "-c",
            args[0]}, System.out);
        if (formatted != 0) {
            System.out.println("kafka-storage format failed: " + formatted);
            System.exit(formatted);
        }
        Kafka.main(new String[] {args[0]});
    }

    /** Starts the broker (again) on its log directory and waits until it answers. */
    public void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        process = java(KafkaBroker.class.getName(), properties.toString(), clusterId);
        try (Admin admin = admin()) {
            Await.until(START, () -> {
                if (!process.isAlive()) {
                    return true;
                }
                try {
                    return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
                } catch (ExecutionException | TimeoutException notYet) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, this::output);
        }
        if (!process.isAlive()) {
            throw new AssertionError("the broker exited with " + process.exitValue() + ":\n" + output());
        }
    }

    /** SIGTERM (a controlled shutdown) and waits for the process to end. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the broker did not stop within 60 s:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates a topic, one replica (waits until the broker has it). */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new AssertionError("cannot create topic " + topic + ":\n" + output(), e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("cannot create topic " + topic + ":\n" + output(), e);
        }
    }

    /** {@code 127.0.0.1:port}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private Admin admin() {
        final Properties p = new Properties();
        p.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"));
        return Admin.create(p);
    }

    /** The broker's output so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private Process java(String main, String... args) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small heap and the quick JIT: the broker shares the CI machine's two cores with the test.
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main);
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main, e);
        }
    }

    /** Stops the broker if it runs (forcibly: the test is over). */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
