package org.callrouter.server.sipua;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.callrouter.server.testsupport.RequiredTool;

/**
 * A SIPp process (Debian package {@code sip-tester}) running one scenario from the test class path
 * ({@code src/test/resources/sipp/}), bounded in calls and time and killed on {@link #close()}.
 *
 * <pre>{@code
 * try (Sipp uas = Sipp.scenario("uas.xml").ports(46100, 46199).calls(20).start();
 *      Sipp uac = Sipp.scenario("uac.xml").ports(46200, 46299).remote(uas.hostPort())
 *              .service("18005550100").calls(20).rate(20).start()) {
 *     SippResult result = uac.awaitExit();
 * }
 * }</pre>
 *
 * <p>Each run has its own scratch directory (working directory, scenario copy, statistics file,
 * output), deleted on close. The result comes from SIPp's {@code -trace_stat} file.
 */
public final class Sipp implements AutoCloseable {
    private static final String STATS_FILE = "stats.csv";
    private static final String OUTPUT_FILE = "sipp.out";
    private static final Duration GRACE = Duration.ofSeconds(15);
    private static final int OUTPUT_TAIL_CHARS = 4_000;

    private final Process process;
    private final Path workDir;
    private final Duration timeout;
    private final String hostPort;

    private Sipp(Process process, Path workDir, Duration timeout, String hostPort) {
        this.process = process;
        this.workDir = workDir;
        this.timeout = timeout;
        this.hostPort = hostPort;
    }

    /**
     * System property: the SIPp binary to run instead of the first {@code sipp} on the {@code PATH}
     * (a build of its own; or a path that does not exist, to see what a machine without SIPp does).
     */
    public static final String BINARY_PROPERTY = "sipp.binary";

    /**
     * The SIPp binary; when there is none, the test fails under CI and is skipped elsewhere
     * ({@link RequiredTool}), with a message saying what to install.
     */
    public static Path requireInstalled() {
        return requireInstalled(RequiredTool.fromEnvironment());
    }

    static Path requireInstalled(RequiredTool tools) {
        return tools.require(binary(), "sipp", "apt-get install sip-tester");
    }

    /** The SIPp binary: {@value #BINARY_PROPERTY} if set, else the first on the {@code PATH}, if installed. */
    public static Optional<Path> binary() {
        final String explicit = System.getProperty(BINARY_PROPERTY);
        if (explicit != null) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.concat(Arrays.stream(path.split(":")), Stream.of("/usr/bin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "sipp"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** A run of the scenario {@code resourceName} from the test class path's {@code sipp/} folder. */
    public static Builder scenario(String resourceName) {
        return new Builder(resourceName);
    }

    /** {@code host:port} of its SIP socket ({@code [::1]:port} for IPv6). */
    public String hostPort() {
        return hostPort;
    }

    /** Whether the process is still running. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Waits for SIPp to finish (at most its {@code -timeout} plus a grace period) and reads its
     * statistics.
     *
     * @throws AssertionError when it does not finish in time (it is killed) or wrote no statistics
     */
    public SippResult awaitExit() {
        Duration limit = timeout.plus(GRACE);
        try {
            if (!process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                stop();
                throw new AssertionError("sipp did not finish within " + limit + "; killed. Output:\n" + outputTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new AssertionError("interrupted while waiting for sipp", e);
        }
        return result(process.exitValue());
    }

    private SippResult result(int exitCode) {
        Path stats = workDir.resolve(STATS_FILE);
        List<String> lines;
        try {
            lines = Files.exists(stats) ? Files.readAllLines(stats, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sipp statistics " + stats, e);
        }
        lines = lines.stream().filter(line -> !line.isBlank()).toList();
        if (lines.size() < 2) {
            throw new AssertionError("sipp (exit " + exitCode + ") wrote no statistics. Output:\n" + outputTail());
        }
        Map<String, String> last = row(lines.get(0), lines.get(lines.size() - 1));
        return new SippResult(exitCode, counter(last, "SuccessfulCall(C)"), counter(last, "FailedCall(C)"),
                outputTail());
    }

    private static Map<String, String> row(String header, String values) {
        String[] names = header.split(";", -1);
        String[] cells = values.split(";", -1);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < Math.min(names.length, cells.length); i++) {
            row.put(names[i].trim(), cells[i].trim());
        }
        return row;
    }

    private static long counter(Map<String, String> row, String name) {
        String value = row.get(name);
        if (value == null) {
            throw new AssertionError("sipp statistics have no column " + name + ": " + row.keySet());
        }
        return Long.parseLong(value);
    }

    private String outputTail() {
        try {
            String output = Files.readString(workDir.resolve(OUTPUT_FILE), StandardCharsets.ISO_8859_1);
            return output.length() <= OUTPUT_TAIL_CHARS ? output : output.substring(output.length() - OUTPUT_TAIL_CHARS);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Kills SIPp if it still runs and deletes its scratch directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete sipp scratch directory " + workDir, e);
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Options of one SIPp run; every port must be set (tests own their port ranges). */
    public static final class Builder {
        private final String resourceName;
        private final List<String> extra = new ArrayList<>();
        private String remote;
        private String service;
        private String transportMode = "u1";
        private String localIp = Ports.LOOPBACK.getHostAddress();
        private int localPort;
        private int mediaPort;
        private int controlPort;
        private int calls = 1;
        private int rate = 10;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(String resourceName) {
            this.resourceName = resourceName;
        }

        /** Where a UAC scenario sends its calls, {@code host:port}. */
        public Builder remote(String hostPort) {
            remote = hostPort;
            return this;
        }

        /** The {@code -s} service: the number a UAC scenario dials. */
        public Builder service(String number) {
            service = number;
            return this;
        }

        /** {@code -t}: {@code u1} (UDP, one socket; the default) or {@code t1} (TCP, one socket). */
        public Builder transport(String mode) {
            transportMode = mode;
            return this;
        }

        /** Takes the SIP port, the control port and the three media ports from {@code [from, to]}. */
        public Builder ports(int from, int to) {
            localPort = Ports.free(from, to);
            controlPort = Ports.free(from, to);
            mediaPort = Ports.freeBlock(from, to, 3);
            return this;
        }

        /** {@code -i}: the address SIPp binds and writes in its messages ({@code ::1} for IPv6); 127.0.0.1 by default. */
        public Builder localIp(String ip) {
            localIp = ip;
            return this;
        }

        /** The SIP port ({@code -p}). */
        public Builder localPort(int port) {
            localPort = port;
            return this;
        }

        /** {@code -m}: stop after this many calls. */
        public Builder calls(int count) {
            calls = count;
            return this;
        }

        /** {@code -r}: calls per second. */
        public Builder rate(int callsPerSecond) {
            rate = callsPerSecond;
            return this;
        }

        /** {@code -timeout}: SIPp gives up (and fails) after this long; the default is 30 s. */
        public Builder timeout(Duration limit) {
            timeout = limit;
            return this;
        }

        /** Further SIPp arguments, passed as they are. */
        public Builder args(String... more) {
            extra.addAll(List.of(more));
            return this;
        }

        /**
         * Starts SIPp (when it is not installed, the test fails under CI and is skipped elsewhere).
         *
         * @throws IllegalStateException when the ports were not set
         */
        public Sipp start() {
            Path binary = requireInstalled();
            if (localPort == 0 || mediaPort == 0 || controlPort == 0) {
                throw new IllegalStateException("set the SIPp ports with ports(from, to)");
            }
            Path workDir = null;
            try {
                workDir = Files.createTempDirectory("sipp-");
                Path scenario = workDir.resolve(resourceName);
                try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + resourceName)) {
                    if (in == null) {
                        throw new IllegalArgumentException("no SIPp scenario sipp/" + resourceName + " on the test class path");
                    }
                    Files.copy(in, scenario);
                }
                List<String> command = command(binary, scenario);
                Process process = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectErrorStream(true).redirectOutput(workDir.resolve(OUTPUT_FILE).toFile())
                                                .start();
                return new Sipp(process, workDir, timeout,
                        (localIp.indexOf(':') >= 0 ? "[" + localIp + "]" : localIp) + ":" + localPort);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start sipp for " + resourceName + " in " + workDir, e);
            }
        }

        private List<String> command(Path binary, Path scenario) {
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            if (remote != null) {
                command.add(remote);
            }
            command.addAll(List.of("-sf", scenario.toString(), "-i", localIp,
                    "-p", Integer.toString(localPort), "-mp", Integer.toString(mediaPort),
                    "-cp", Integer.toString(controlPort), "-t", transportMode,
                    "-m", Integer.toString(calls), "-r", Integer.toString(rate),
                    "-timeout", timeout.toSeconds() + "s", "-timeout_error",
                    "-trace_stat", "-stf", STATS_FILE, "-fd", "1", "-nostdin"));
            if (service != null) {
                command.addAll(List.of("-s", service));
            }
            command.addAll(extra);
            return command;
        }
    }
}
