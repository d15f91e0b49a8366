package org.callrouter.server.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.callrouter.server.sipua.Ports;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) of one test, on a free
 * loopback port (62000-62099 unless the test names its own band), without persistence ({@code --save "" --appendonly no}).
 * Without the binary the test is skipped, or fails when {@code CI} is set ({@link RequiredTool}).
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private Process process;
    /** The test's own connection, to look at what the router wrote (opened at the first {@link #commands}). */
    private RedisClient inspector;
    private StatefulRedisConnection<String, String> inspection;

    private RedisServer(int port) {
        this.port = port;
    }

    /** Starts one on a free port in 62000-62099 and waits until it answers PING. */
    public static RedisServer start() {
        return start(62000, 62099);
    }

    /** Starts one on a free port in {@code from}-{@code to} (a test class's own band) and waits until it answers PING. */
    public static RedisServer start(int from, int to) {
        RequiredTool.fromEnvironment().require(Optional.of(BINARY).filter(Files::isExecutable), "redis-server",
                "apt-get install redis-server");
        RedisServer redis = new RedisServer(Ports.free(from, to));
        redis.launch();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Synchronous commands on a connection of the test's own, to read and reset what the router
     * keeps in Redis; opened at the first call, closed with the server.
     */
    public synchronized RedisCommands<String, String> commands() {
        if (inspection == null) {
            inspector = RedisClient.create(uri());
            inspection = inspector.connect();
        }
        return inspection.sync();
    }

    private void launch() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        for (int i = 0; i < 200; i++) {
            if (ping()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited with " + process.exitValue());
            }
            sleep();
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING");
    }

    private boolean ping() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer = new byte[7];
            int n = socket.getInputStream().read(answer);
            return n > 0 && new String(answer, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills it at once ({@code SIGKILL}): the outage a test provokes. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops it without closing its connections ({@code SIGSTOP}): a Redis that does not answer. */
    public void pause() {
        signal("-STOP");
    }

    /** Lets a paused one go on ({@code SIGCONT}). */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (inspection != null) {
                inspection.close();
                inspector.shutdown();
                inspection = null;
            }
        }
        kill();
    }
}
