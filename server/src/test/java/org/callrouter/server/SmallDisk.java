package org.callrouter.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import java.util.Optional;

import org.callrouter.server.testsupport.RequiredTool;

/**
 * A real small filesystem for disk-full tests: a 1 MiB tmpfs mounted on a test directory
 * ({@code mount -t tmpfs -o size=1m}), filled by a file that takes every free byte and freed
 * by deleting it. Mounting needs root ({@code .ci/run} runs as root): without it a test fails
 * when {@code CI} is set and is skipped otherwise.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path dir;
    private final Path filler;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    /** Mounts a 1 MiB tmpfs on {@code dir} (created if missing). */
    public static SmallDisk mount(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        final String result = run(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir.toString()));
        if (result != null) {
            RequiredTool.fromEnvironment().require(Optional.empty(), "a tmpfs mount (" + result + ")",
                    "run the tests as root, as .ci/run does");
        }
        return new SmallDisk(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Takes every free byte of the filesystem with a filler file. */
    public void fill() throws IOException {
        final byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Gives the filler's bytes back. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        final String result = run(List.of("umount", "-l", dir.toString()));
        if (result != null) {
            throw new IOException("cannot unmount " + dir + ": " + result);
        }
    }

    /** Runs a command; null when it succeeded, else its exit status and output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        final Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
    }
}
