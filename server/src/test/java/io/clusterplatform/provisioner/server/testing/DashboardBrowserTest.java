package io.clusterplatform.provisioner.server.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Base of the dashboard's browser tests: the real server on a random port (as every {@link
 * ServerIntegrationTest}) and one headless Chromium per test class, logged in with the operator token
 * before each test. A failing test leaves a screenshot, target/screenshots/FAILED-{class}-{test}.png.
 */
public abstract class DashboardBrowserTest extends ServerIntegrationTest {
    protected static Browser browser;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = Browser.screenshotOnFailure(() -> browser);

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /**
     * Logs in; a Chromium whose renderer died (seen once in CI: "Unable to receive message from
     * renderer", which failed every later test of the class) is started again, once. The browser is
     * the test's instrument, not the thing under test.
     */
    @BeforeEach
    void logIn() {
        try {
            browser.logIn(base(), OPERATOR_TOKEN);
        } catch (org.openqa.selenium.WebDriverException crashed) {
            if (!(crashed instanceof org.openqa.selenium.NoSuchSessionException)
                    && !String.valueOf(crashed.getMessage()).contains("renderer")) {
                throw crashed;
            }
            try {
                browser.close();
            } catch (org.openqa.selenium.WebDriverException alreadyGone) {
                // the session died with the renderer; its profile directory is removed all the same
            }
            browser = Browser.start();
            browser.logIn(base(), OPERATOR_TOKEN);
        }
    }

    /** The dashboard server's base URL, e.g. http://localhost:41234. */
    protected String base() {
        return "http://localhost:" + port;
    }

    /** Opens a dashboard page, e.g. {@code page("/ui/nodes")}. */
    protected void page(String path) {
        browser.open(base() + path);
    }
}
