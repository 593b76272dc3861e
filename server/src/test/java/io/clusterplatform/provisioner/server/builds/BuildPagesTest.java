package io.clusterplatform.provisioner.server.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardBrowserTest;
import io.clusterplatform.provisioner.server.testing.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The artifact pages in a browser: build forms, live progress, downloads, refusals and failures. */
class BuildPagesTest extends DashboardBrowserTest {
    private static final Duration BUILD = Timeouts.scaled(Duration.ofMinutes(3));

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    /** Creates a mainscript through the Scripts page's form, as an operator would; returns its id. */
    private long mainscriptThroughTheForm(String name) {
        page("/ui/scripts/mainscripts");
        browser.find(By.id("new-entry")).click();
        type(browser.waitFor(By.id("name")), name);
        type(browser.find(By.id("text")), "#!ipxe\nshell\n");
        browser.find(By.cssSelector("#script-form button[type=submit]")).click();
        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).startsWith("Created mainscript ");
        String url = browser.driver().getCurrentUrl();
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }

    @Test
    void anIsoFromAMainscriptReachesOneHundredAndDownloadsWithTheShownSha256() throws Exception {
        String name = unique("ui-iso");
        long mainscript = mainscriptThroughTheForm(name);
        page("/ui/artifacts");
        browser.screenshotBothWidths("artifacts");

        type(browser.waitFor(By.id("iso-label")), "UI ONE CALL");
        Select mainscripts = new Select(browser.find(By.id("iso-mainscript")));
        mainscripts.selectByValue(String.valueOf(mainscript));
        assertThat(mainscripts.getFirstSelectedOption().getText()).isEqualTo(name + " (" + mainscript + ")");
        browser.find(By.cssSelector("#iso-form button[type=submit]")).click();

        browser.until(ExpectedConditions.urlMatches("/ui/artifacts/isos/\\d+$"));
        String buildPage = browser.driver().getCurrentUrl();
        assertThat(browser.find(By.cssSelector("[role=status]")).getText()).matches("ISO \\d+ queued");
        assertThat(browser.find(By.id("what")).getText()).isEqualTo("\"UI ONE CALL\" from mainscript " + mainscript);
        if (!browser.find(By.id("status")).getText().equals("done")) {
            assertThat(browser.find(By.id("build-live")).getAttribute("data-live"))
                    .endsWith(buildPage.replaceFirst("^http://[^/]+", "") + "/live");
            browser.screenshotBothWidths("artifact-build-queued");
            // Read in one script: the live refresh may replace the element between two WebDriver calls.
            long seen = browser.until(
                    driver -> {
                        Long value = (Long) ((JavascriptExecutor) driver)
                                .executeScript("return document.getElementById('progress').value;");
                        return value != null && value > 0 ? value : null;
                    },
                    BUILD);
            if (seen < 100) {
                browser.screenshotBothWidths("artifact-build-in-progress");
            }
        }

        browser.until(ExpectedConditions.attributeToBe(By.id("progress"), "value", "100"), BUILD);
        WebElement link = browser.until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#files a.download")), BUILD);
        assertThat(browser.find(By.id("status")).getText()).isEqualTo("done");
        assertThat(browser.find(By.id("build-live")).getAttribute("data-live"))
                .as("a finished build is no longer refreshed")
                .isNull();
        WebElement iso = browser.find(By.xpath("//li[a[@class='download' and text()='dist.iso']]"));
        String href = iso.findElement(By.cssSelector("a.download")).getAttribute("href");
        String shownSha = iso.findElement(By.cssSelector(".sha256")).getText();
        long shownBytes =
                Long.parseLong(iso.findElement(By.cssSelector(".bytes")).getText());
        assertThat(link.getText()).isNotBlank();
        assertThat(href).matches("http://[^/]+/isos/[0-9a-f-]{36}/dist\\.iso");
        assertThat(iso.findElement(By.cssSelector(".human")).getText()).endsWith("MiB");
        browser.screenshotBothWidths("artifact-build-done");

        HttpResponse<byte[]> download = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(href)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat((long) download.body().length).isEqualTo(shownBytes);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())))
                .isEqualTo(shownSha);

        page("/ui/artifacts");
        String id = buildPage.substring(buildPage.lastIndexOf('/') + 1);
        WebElement row = browser.waitFor(By.id("build-isos-" + id));
        assertThat(row.getText()).contains("\"UI ONE CALL\" from mainscript " + mainscript, "done", "1 file");
        ((JavascriptExecutor) browser.driver()).executeScript("document.getElementById('builds').scrollIntoView();");
        browser.screenshotBothWidths("artifacts-builds");
    }

    @Test
    void badValuesAreRefusedNextToTheirFieldsInTheServersWords() {
        page("/ui/artifacts");
        type(browser.waitFor(By.id("iso-label")), "bad/label!");
        browser.find(By.cssSelector("#iso-form button[type=submit]")).click();

        WebElement error = browser.waitFor(By.cssSelector("#iso-form #label-error"));
        assertThat(error.getText())
                .isEqualTo("'label' \"bad/label!\" cannot be an ISO9660 volume id: use ASCII letters, digits,"
                        + " space, '_', '.' and '-' (no space at either end)");
        assertThat(browser.find(By.id("iso-label")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(browser.find(By.id("iso-label")).getAttribute("value")).isEqualTo("bad/label!");
        assertThat(browser.findAll(By.cssSelector("#ipxe-form .field-error"))).isEmpty();
        browser.screenshotBothWidths("artifacts-iso-refused");

        type(browser.find(By.id("ipxe-script")), "dhcp\nshell");
        browser.find(By.cssSelector("#ipxe-form button[type=submit]")).click();
        WebElement scriptError = browser.waitFor(By.cssSelector("#ipxe-form #script-error"));
        assertThat(scriptError.getText()).startsWith("'script' must start with \"#!ipxe\"");
        assertThat(browser.find(By.id("ipxe-script")).getAttribute("value")).isEqualTo("dhcp\nshell");
        assertThat(browser.findAll(By.cssSelector("#iso-form .field-error"))).isEmpty();
    }

    @Test
    void aFailedBuildShowsItsFailureAndLog() {
        String missing = base() + "/isos/" + UUID.randomUUID() + "/missing.efi";
        Api.Response queued = api.asOperator()
                .post(
                        "/api/isos",
                        Json.body(Map.of("label", "UI FAILS", "script", "#!ipxe\nshell", "ipxeUefiUrl", missing)));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(201);
        page("/ui/artifacts/isos/" + queued.json().get("id").asLong());

        browser.until(ExpectedConditions.textToBe(By.id("status"), "failed"), BUILD);
        assertThat(browser.find(By.id("failure")).getText())
                .isEqualTo("Failed: 'ipxeUefiUrl' (" + missing + ") names 127.0.0.1, a loopback address: builds do"
                        + " not download from loopback, link-local or this server's own addresses (an operator can"
                        + " allow it with PROVISIONER_FETCH_ALLOW_LOCAL_ADDRESSES=true)");
        assertThat(browser.find(By.id("log")).getText())
                .contains("ipxeUefiUrl: fetching " + missing, "failed: 'ipxeUefiUrl'");
        assertThat(browser.findAll(By.id("files"))).isEmpty();
        assertThat(browser.findAll(By.id("cancel"))).isEmpty();
        browser.screenshotBothWidths("artifact-build-failed");
    }

    @Test
    void aSyslinuxFragmentIsBuiltCannotBeCancelledWhenDoneAndIsDeletedAfterAsking() {
        page("/ui/artifacts");
        new Select(browser.waitFor(By.id("syslinux-fragment"))).selectByValue("ldlinux.c32");
        browser.find(By.cssSelector("#syslinux-form button[type=submit]")).click();

        browser.until(ExpectedConditions.urlMatches("/ui/artifacts/syslinuxs/\\d+$"));
        browser.until(ExpectedConditions.textToBe(By.id("status"), "done"), BUILD);
        WebElement file = browser.waitFor(By.cssSelector("#files a.download"));
        assertThat(file.getText()).isEqualTo("ldlinux.c32");
        assertThat(browser.find(By.cssSelector("#files .sha256")).getText()).matches("[0-9a-f]{64}");
        String download = file.getAttribute("href").replaceFirst("^http://[^/]+", "");
        assertThat(api.get(download).status()).isEqualTo(200);

        Api session = api.withHeader(
                "Cookie",
                "PROVISIONER_SESSION="
                        + browser.driver()
                                .manage()
                                .getCookieNamed("PROVISIONER_SESSION")
                                .getValue());
        String buildPage = browser.driver().getCurrentUrl().replaceFirst("^http://[^/]+", "");
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(session.get(buildPage).body());
        assertThat(csrf.find()).isTrue();
        Api.Response cancelled = session.send(session.builder(buildPage + "/cancel")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))));
        assertThat(cancelled.status()).isEqualTo(302);
        browser.driver().navigate().refresh();
        assertThat(browser.waitFor(By.cssSelector("main .form-error")).getText())
                .matches("job \\d+ is already done; only queued or working jobs can be cancelled");

        browser.find(By.id("delete")).click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        browser.until(ExpectedConditions.urlMatches("/ui/artifacts$"));
        assertThat(browser.find(By.cssSelector("[role=status]")).getText())
                .matches("SYSLINUX \\d+ deleted, with its files");
        assertThat(api.get(download).status()).isEqualTo(404);
    }
}
