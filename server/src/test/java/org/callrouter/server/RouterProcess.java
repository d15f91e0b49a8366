package org.callrouter.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code router serve} in a JVM of its own ({@code java <flags> -cp <test class path>
 * org.callrouter.server.cli.RouterCommand serve --config FILE}), so a test can kill it with
 * SIGKILL or stop it with SIGTERM. Its output goes to a log file shown when something fails.
 */
public final class RouterProcess implements AutoCloseable {

    /** Up to three JVMs start side by side on a 2-core machine that other builds share: a minute is not always enough. */
    private static final Duration START = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    private final String adminBase;

    private RouterProcess(Process process, Path log, String adminBase) {
        this.process = process;
        this.log = log;
        this.adminBase = adminBase;
    }

    /** Starts the router on {@code config} and waits until {@code /health/ready} says ready. */
    public static RouterProcess start(Path config, String adminBase, Path log) {
        return start(config, adminBase, log, List.of());
    }

    /** The same, with more JVM flags (such as {@code -Xlog:class+load:file=...}). */
    public static RouterProcess start(Path config, String adminBase, Path log, List<String> jvmFlags) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The module flags Chronicle Map and Agrona need, as this test JVM got them.
            if (flag.startsWith("--add-") || flag.startsWith("-Dchronicle.")) {
                command.add(flag);
            }
        }
        command.add("-Xmx256m");
        command.addAll(jvmFlags);
        command.add("-D" + RouterServer.WARMUP_PROPERTY + "=false");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add("org.callrouter.server.cli.RouterCommand");
        command.add("serve");
        command.add("--config");
        command.add(config.toString());
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        final RouterProcess router = new RouterProcess(process, log, adminBase);
        try {
            Await.until(START, () -> router.ready() || !process.isAlive(), router::describe);
        } catch (AssertionError notReady) {
            // The caller never gets the process to close: it would outlive the test, ports and all.
            process.destroyForcibly();
            throw notReady;
        }
        if (!process.isAlive()) {
            throw new AssertionError("the router exited with " + process.exitValue() + ":\n" + router.output());
        }
        return router;
    }

    private boolean ready() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(adminBase + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, no drain, nothing flushed by the JVM. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGHUP: the router reloads its configuration file. */
    public void hangUp() {
        try {
            final Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -HUP " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM; returns the exit code once the router has drained and stopped. */
    public int terminate() {
        sigterm();
        return waitFor();
    }

    /** SIGTERM, without waiting: the router drains, and the test goes on meanwhile. */
    public void sigterm() {
        process.destroy();
    }

    /** Waits (60 s at most) for the router to exit; returns its exit code. */
    public int waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the router did not exit within 60 s:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String describe() {
        return "router process ready at " + adminBase + "; its output so far:\n" + output();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }
}
