package org.callrouter.server.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.callrouter.server.Await;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One browser user (a landing page's visitor, a console's operator): headless Chromium driven by
 * its own chromedriver, with a profile directory of its own (so its own cookies and storage).
 * Every wait is bounded.
 */
public final class BrowserProfile implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);
    /** How often {@link #text} finds an element again that a redraw replaced before giving up. */
    private static final int STALE_RETRIES = 5;
    /**
     * An inline script for the test pages' {@code <head>}, before the tag under test: it keeps
     * every uncaught error and unhandled promise rejection of the page in {@code window.pageErrors}.
     */
    public static final String ERROR_COLLECTOR = "window.pageErrors = [];"
            + " addEventListener('error', e => pageErrors.push(String(e.message)));"
            + " addEventListener('unhandledrejection', e => pageErrors.push(String(e.reason)));";

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private BrowserProfile(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Starts a browser whose profile (and chromedriver's log) is in {@code dir}, a fresh directory. */
    public static BrowserProfile open(Chromium chromium, Path dir) {
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromium.driver().toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .withTimeout(WAIT)
                .build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.browser().toFile());
        // --no-sandbox: tests and CI run as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update",
                "--user-data-dir=" + dir.resolve("profile").toAbsolutePath());
        options.setPageLoadTimeout(WAIT);
        options.setScriptTimeout(WAIT);
        try {
            return new BrowserProfile(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /** Loads {@code url} and waits for its load event (async scripts, loaded or failed, included). */
    public void get(String url) {
        driver.get(url);
    }

    /** Clicks the element {@code #id} (a link: the next page loads with this page as its referrer). */
    public void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    public void reload() {
        driver.navigate().refresh();
    }

    /**
     * Waits until the script has settled and returns {@code callrouter.number()}: the visitor's
     * number, or the page's own number when the tracking listener could not give one. The page
     * must have seen no uncaught error by then.
     */
    public String awaitNumber() {
        final Object[] seen = {null};
        Await.until(WAIT, () -> (seen[0] = script("return window.callrouter ? window.callrouter.number() : null")) != null,
                () -> "callrouter.number() on " + driver.getCurrentUrl() + "; page text: " + text("body"));
        assertNoPageErrors();
        return (String) seen[0];
    }

    /** Fails when the page (one with {@link #ERROR_COLLECTOR}) saw an uncaught error or rejection. */
    public void assertNoPageErrors() {
        final Object errors = script("return window.pageErrors || []");
        if (!(errors instanceof List<?> list) || !list.isEmpty()) {
            throw new AssertionError("uncaught errors on " + driver.getCurrentUrl() + ": " + errors);
        }
    }

    /** Waits until the element {@code #id} reads {@code expected}. */
    public void awaitText(String id, String expected) {
        Await.until(WAIT, () -> expected.equals(text("#" + id)),
                () -> "#" + id + " to read \"" + expected + "\", it reads \"" + text("#" + id) + "\"");
    }

    /**
     * The visible text of the first element that {@code css} selects. The console redraws its
     * tables while it polls, so an element found may be replaced before its text is read: then
     * it is found again.
     */
    public String text(String css) {
        for (int attempt = 1; ; attempt++) {
            try {
                return driver.findElement(By.cssSelector(css)).getText();
            } catch (StaleElementReferenceException replaced) {
                if (attempt == STALE_RETRIES) {
                    throw replaced;
                }
            }
        }
    }

    /** The {@code href} attribute as written in the page (not resolved against the page's URL). */
    public String href(String id) {
        return (String) script("return document.getElementById(arguments[0]).getAttribute('href')", id);
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    public Cookie cookie(String name) {
        return Objects.requireNonNull(driver.manage().getCookieNamed(name), () -> "no cookie " + name
                + " in " + driver.manage().getCookies());
    }

    /** Types {@code text} into the field {@code #id}, replacing what it held. */
    public void type(String id, String text) {
        final WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** Waits until {@code css} selects an element whose text contains {@code expected}, and returns that text. */
    public String awaitContains(String css, String expected) {
        final String[] seen = {""};
        Await.until(WAIT, () -> {
            try {
                for (WebElement e : driver.findElements(By.cssSelector(css))) {
                    final String text = e.getText();
                    if (text.contains(expected)) {
                        seen[0] = text;
                        return true;
                    }
                }
            } catch (StaleElementReferenceException redrawn) {
                // the page replaced the elements between finding and reading them: look again
            }
            return false;
        }, () -> "an element " + css + " containing \"" + expected + "\" on " + driver.getCurrentUrl()
                + "; page text: " + driver.findElement(By.tagName("body")).getText());
        return seen[0];
    }

    /** Waits for the page's {@code confirm()} or {@code alert()} and returns its text, leaving it open. */
    public String awaitDialog() {
        final String[] text = {null};
        Await.until(WAIT, () -> {
            try {
                text[0] = driver.switchTo().alert().getText();
                return true;
            } catch (NoAlertPresentException e) {
                return false;
            }
        }, () -> "a dialog on " + driver.getCurrentUrl());
        return text[0];
    }

    /** Waits for the page's {@code confirm()} or {@code alert()}, returns its text and accepts it. */
    public String acceptDialog() {
        final String text = awaitDialog();
        final Alert alert = driver.switchTo().alert();
        alert.accept();
        return text;
    }

    /** Whether the element {@code #id} is shown. */
    public boolean displayed(String id) {
        return driver.findElement(By.id(id)).isDisplayed();
    }

    /**
     * Waits until the element {@code #id} is shown: after an action the console redraws its
     * table when the answer comes, which may be after the message it shows first.
     */
    public void awaitDisplayed(String id) {
        Await.until(WAIT, () -> {
            try {
                return driver.findElement(By.id(id)).isDisplayed();
            } catch (StaleElementReferenceException | NoSuchElementException redrawn) {
                return false;
            }
        }, () -> "#" + id + " to be shown on " + driver.getCurrentUrl());
    }

    /** Resizes the window (a laptop is 1280 x 800, a phone 390 x 844 CSS pixels). */
    public void windowSize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves what the window shows now as a PNG. */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
