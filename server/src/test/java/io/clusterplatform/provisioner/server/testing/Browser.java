package io.clusterplatform.provisioner.server.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (packages chromium and chromium-driver,
 * installed by scripts/run-tests.sh). No driver or browser is downloaded: both paths are given, so
 * Selenium Manager is not asked. Chromium starts with a fresh profile and without its background
 * connections (this machine's network is closed). Screenshots go to server/target/screenshots/.
 */
public final class Browser implements AutoCloseable {
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ThrowawayDirectory profile;
    private final ChromeDriver driver;

    private Browser(ThrowawayDirectory profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    public static Browser start() {
        for (String tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: install Debian's chromium and chromium-driver"
                        + " (scripts/run-tests.sh does)");
            }
        }
        ThrowawayDirectory profile = ThrowawayDirectory.create("provisioner-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-features=Translate,OptimizationHints,MediaRouter",
                "--user-data-dir=" + profile.path(),
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        try {
            return new Browser(profile, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            profile.close();
            throw e;
        }
    }

    /**
     * Saves target/screenshots/FAILED-{class}-{test}.png when a test fails or is aborted, with the browser
     * the test class holds at that moment (none: nothing is saved). Register it with {@code @RegisterExtension}.
     */
    public static TestWatcher screenshotOnFailure(Supplier<Browser> browser) {
        return new TestWatcher() {
            @Override
            public void testFailed(ExtensionContext context, Throwable cause) {
                Browser current = browser.get();
                if (current != null) {
                    current.screenshot(
                            "FAILED-" + context.getRequiredTestClass().getSimpleName() + "-"
                                    + context.getRequiredTestMethod().getName());
                }
            }

            @Override
            public void testAborted(ExtensionContext context, Throwable cause) {
                testFailed(context, cause);
            }
        };
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    /** Waits (up to 20 s) until the element is visible, and returns it. */
    public WebElement waitFor(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * Waits (up to the given time) until the condition holds (returns non-null, non-false). An element
     * that a live part replaced between finding and reading it ({@link StaleElementReferenceException})
     * is looked up again at the next try.
     */
    public <T> T until(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout)
                .ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    public <T> T until(Function<WebDriver, T> condition) {
        return until(condition, WAIT);
    }

    /** Logs in on the dashboard at {@code base} (e.g. http://127.0.0.1:8080) with an operator token. */
    public void logIn(String base, String token) {
        open(base + "/ui/login");
        find(By.id("token")).sendKeys(token);
        find(By.cssSelector("form button[type=submit]")).click();
        waitFor(By.cssSelector("header.top nav"));
    }

    public void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Saves what the page shows now as target/screenshots/{name}.png, for a person to look at. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Saves the page at desktop and at phone width ({name}.png and {name}-phone.png) and checks the
     * phone layout: the page must not be wider than the screen.
     */
    public void screenshotBothWidths(String name) {
        screenshot(name);
        resize(PHONE);
        try {
            Long overflow = (Long) driver.executeScript(
                    "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth);");
            screenshot(name + "-phone");
            if (overflow != null && overflow > 0) {
                throw new AssertionError(
                        "the page '" + name + "' is " + overflow + " px wider than a phone screen (390 px)");
            }
        } finally {
            resize(DESKTOP);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            profile.close();
        }
    }
}
