package org.callrouter.server.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Debian's headless browser and its WebDriver server, found on the {@code PATH}
 * ({@code apt-get install chromium chromium-driver}). Selenium is given both paths, so its
 * Selenium Manager (which would download a browser or a driver) never runs.
 */
public record Chromium(Path browser, Path driver) {

    /** Both programs, or (through {@link RequiredTool}) a failed test under CI and a skipped one elsewhere. */
    public static Chromium require() {
        final Optional<Chromium> found = onPath("chromium")
                .flatMap(browser -> onPath("chromedriver").map(driver -> new Chromium(browser, driver)));
        return RequiredTool.fromEnvironment().require(found, "chromium and chromedriver",
                "apt-get install chromium chromium-driver");
    }

    private static Optional<Path> onPath(String name) {
        final String path = System.getenv().getOrDefault("PATH", "/usr/bin");
        for (String dir : path.split(File.pathSeparator)) {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
