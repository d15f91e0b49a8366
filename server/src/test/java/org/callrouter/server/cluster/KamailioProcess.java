package org.callrouter.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.callrouter.server.Await;
import org.callrouter.server.testsupport.RequiredTool;

/**
 * Kamailio running {@code config/cluster/kamailio.cfg} as a child process, in front of routers
 * listed in a dispatcher file it writes: the proxy of {@code config/cluster/README.md}, as an
 * operator runs it, with the listen address and files passed as pre-processor defines the way
 * {@code start.sh} passes them (the probe interval and timeout as shipped). {@code kamcmd} reads
 * the dispatcher's view of each router over the control socket.
 */
final class KamailioProcess implements AutoCloseable {

    /** The configuration under test, from the server module's directory (where Maven runs tests). */
    static final Path CONFIG = Path.of("..", "config", "cluster", "kamailio.cfg");

    private static final Duration START = Duration.ofSeconds(20);

    private final Process process;
    private final Path kamcmd;
    private final String controlSocket;
    private final Path log;

    private KamailioProcess(Process process, Path kamcmd, String controlSocket, Path log) {
        this.process = process;
        this.kamcmd = kamcmd;
        this.controlSocket = controlSocket;
        this.log = log;
    }

    /**
     * System property: the Kamailio binary to run instead of the installed one (a path that does
     * not exist shows what a machine without Kamailio does).
     */
    static final String BINARY_PROPERTY = "kamailio.binary";

    /** Kamailio and kamcmd, or a failed test under CI and a skipped one elsewhere. */
    static Path[] requireInstalled() {
        final RequiredTool tools = RequiredTool.fromEnvironment();
        final String install = "apt-get install kamailio";
        final String explicit = System.getProperty(BINARY_PROPERTY);
        final Optional<Path> kamailio = explicit == null ? installed("kamailio")
                : Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        return new Path[] {tools.require(kamailio, "kamailio", install),
                tools.require(installed("kamcmd"), "kamcmd", install)};
    }

    /** The first executable {@code name} on the PATH or in /usr/sbin, where Debian puts Kamailio. */
    private static Optional<Path> installed(String name) {
        final String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.concat(Arrays.stream(path.split(":")), Stream.of("/usr/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Starts Kamailio on {@code udp:127.0.0.1:sipPort} with the routers {@code routerUris}
     * (dispatcher set 1) and waits until its control socket answers.
     *
     * @param dir                  where the dispatcher list, the control socket and the log go
     */
    static KamailioProcess start(int sipPort, List<String> routerUris, Path dir) {
        final Path[] tools = requireInstalled();
        try {
            final Path list = dir.resolve("dispatcher.list");
            final StringBuilder lines = new StringBuilder();
            for (String uri : routerUris) {
                lines.append("1 ").append(uri).append(" 0 0\n");
            }
            Files.writeString(list, lines);
            final String control = "unix:" + dir.resolve("kamailio.ctl").toAbsolutePath();
            final Path log = dir.resolve("kamailio.log");
            final List<String> command = new ArrayList<>(List.of(tools[0].toString(),
                    "-f", CONFIG.toAbsolutePath().normalize().toString(), "-DD", "-E", "-m", "64", "-M", "8",
                    "-A", "LISTEN=udp:127.0.0.1:" + sipPort,
                    "-A", "DISPATCHER_LIST=\"" + list.toAbsolutePath() + "\"",
                    "-A", "CTL_SOCKET=\"" + control + "\""));
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            final KamailioProcess kamailio = new KamailioProcess(process, tools[1], control, log);
            try {
                Await.until(START, () -> kamailio.dispatcherList().isPresent() || !process.isAlive(),
                        () -> "kamailio's control socket " + control + "; its log:\n" + kamailio.output());
            } catch (AssertionError notReady) {
                // The caller never gets the process to close: it would outlive the test, port and all.
                kamailio.close();
                throw notReady;
            }
            if (!process.isAlive()) {
                throw new AssertionError("kamailio exited with " + process.exitValue() + ":\n" + kamailio.output());
            }
            return kamailio;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start kamailio", e);
        }
    }

    /**
     * The dispatcher's flags for {@code uri} ({@code AP}: active and probed, {@code IP}: inactive,
     * probed until it answers), or empty when the control socket does not answer or the URI is not
     * listed.
     */
    Optional<String> flags(String uri) {
        final Optional<String> list = dispatcherList();
        if (list.isEmpty()) {
            return Optional.empty();
        }
        final String[] lines = list.get().split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].strip().equals("URI: " + uri) && lines[i + 1].strip().startsWith("FLAGS: ")) {
                return Optional.of(lines[i + 1].strip().substring("FLAGS: ".length()));
            }
        }
        return Optional.empty();
    }

    /** Whether the dispatcher takes {@code uri} for new calls. */
    boolean active(String uri) {
        return flags(uri).filter(f -> f.startsWith("A")).isPresent();
    }

    /** Whether the dispatcher has taken {@code uri} out of the set. */
    boolean inactive(String uri) {
        return flags(uri).filter(f -> f.startsWith("I")).isPresent();
    }

    /** {@code kamcmd dispatcher.list}, or empty when the control socket does not answer. */
    private Optional<String> dispatcherList() {
        try {
            final Process run = new ProcessBuilder(kamcmd.toString(), "-s", controlSocket, "dispatcher.list")
                    .redirectErrorStream(true).start();
            final byte[] out = run.getInputStream().readAllBytes();
            if (!run.waitFor(10, TimeUnit.SECONDS) || run.exitValue() != 0) {
                run.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new String(out, StandardCharsets.UTF_8));
        } catch (IOException notYet) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM: the main process stops its children, then exits. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
