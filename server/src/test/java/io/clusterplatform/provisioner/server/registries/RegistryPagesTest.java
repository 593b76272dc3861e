package io.clusterplatform.provisioner.server.registries;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardBrowserTest;
import io.clusterplatform.provisioner.server.testing.Json;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The Scripts pages: the five text registries' lists and the forms that create, edit and delete entries. */
class RegistryPagesTest extends DashboardBrowserTest {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(String name, String text) {
        return Json.body(Map.of("name", name, "text", text));
    }

    private void fill(By field, String value) {
        WebElement element = browser.find(field);
        element.clear();
        element.sendKeys(value);
    }

    private void submit(String formId) {
        browser.find(By.cssSelector("#" + formId + " button[type=submit]")).click();
    }

    private long idInUrl() {
        String url = browser.driver().getCurrentUrl();
        return Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
    }

    @Test
    void aMainscriptIsCreatedEditedAndDeletedThroughTheForms() {
        page("/ui/scripts");
        browser.until(ExpectedConditions.urlMatches("/ui/scripts/mainscripts$"));
        browser.screenshotBothWidths("scripts-mainscripts");
        browser.find(By.id("new-entry")).click();
        browser.waitFor(By.id("script-form"));
        browser.screenshotBothWidths("scripts-new");

        String name = unique("menu");
        String text =
                "#!ipxe\necho booting {{artifactId}}\nchain {{server}}/api/subscripts/1?artifactId={{artifactId}}\n";
        fill(By.id("name"), name);
        fill(By.id("text"), text);
        submit("script-form");

        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).startsWith("Created mainscript ");
        long id = idInUrl();
        Api.Response stored = api.asOperator().getJson("/api/mainscripts/" + id);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        assertThat(stored.json().get("name").asText()).isEqualTo(name);
        assertThat(stored.json().get("text").asText())
                .as("the text as typed, with LF line breaks")
                .isEqualTo(text);
        Api.Response served = api.get("/api/mainscripts/" + id + "?artifactId=site-a");
        assertThat(served.body())
                .isEqualTo(
                        "#!ipxe\necho booting site-a\nchain " + api.base() + "/api/subscripts/1?artifactId=site-a\n");
        assertThat(browser.find(By.id("fetch-url")).getText()).endsWith("/api/mainscripts/" + id);
        browser.screenshotBothWidths("scripts-edit");

        page("/ui/scripts/mainscripts?search=" + name);
        WebElement row = browser.waitFor(By.cssSelector("#entries tr[data-id='" + id + "']"));
        assertThat(row.getText()).contains(name).contains("/api/mainscripts/" + id);
        row.findElement(By.linkText(name)).click();

        String tooLong = "n".repeat(201);
        fill(By.id("name"), tooLong);
        submit("script-form");
        Api.Response refused = api.asOperator().put("/api/mainscripts/" + id, body(tooLong, text));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(browser.waitFor(By.id("name-error")).getText())
                .as("the REST API's words, next to the name")
                .isEqualTo(refused.json().get("detail").asText());
        assertThat(browser.find(By.id("name")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.find(By.id("text")).getAttribute("value"))
                .as("the submitted text is kept")
                .isEqualTo(text);
        browser.screenshotBothWidths("scripts-edit-error");

        fill(By.id("name"), "");
        fill(By.id("text"), "#!ipxe\nshell\n");
        submit("script-form");
        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).isEqualTo("Saved mainscript " + id + ".");
        Api.Response edited = api.asOperator().getJson("/api/mainscripts/" + id);
        assertThat(edited.json().get("text").asText()).isEqualTo("#!ipxe\nshell\n");
        assertThat(edited.json().get("name").isNull())
                .as("a blank name is no name, as in the API")
                .isTrue();

        browser.find(By.cssSelector("#delete-form button")).click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).isEqualTo("Deleted mainscript " + id + ".");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/ui/scripts/mainscripts");
        assertThat(api.asOperator().getJson("/api/mainscripts/" + id).status()).isEqualTo(404);
    }

    @Test
    void kickstartListsNeverShowPasswordsButTheOperatorsEditorDoes() {
        String name = unique("ks");
        String password = "s3cret-" + UUID.randomUUID();
        String text = "lang en_US.UTF-8\nrootpw --plaintext " + password + "\n";
        Api.Response created = api.asOperator().post("/api/kickstarts", body(name, text));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        page("/ui/scripts/kickstarts");
        browser.waitFor(By.cssSelector("#entries tr[data-id='" + id + "']"));
        assertThat(browser.driver().getPageSource()).contains(name).doesNotContain(password);
        browser.screenshotBothWidths("scripts-kickstarts");
        page("/ui/scripts/kickstarts?search=" + name);
        assertThat(browser.waitFor(By.id("entries")).getText()).contains(name);
        assertThat(browser.driver().getPageSource()).doesNotContain(password);

        page("/ui/scripts/kickstarts/" + id);
        assertThat(browser.waitFor(By.id("text")).getAttribute("value"))
                .as("the operator edits the text as stored, as the API's operator GET shows it")
                .isEqualTo(text);
        assertThat(browser.find(By.id("password-hint")).getText()).contains("SHA-512 crypt hash");
        browser.screenshotBothWidths("scripts-kickstart-edit");
    }

    @Test
    void eachRegistryHasItsPageAndAnUnknownOneIsA404() {
        for (TextRegistry registry : TextRegistry.values()) {
            page("/ui/scripts/" + registry.path());
            WebElement active = browser.waitFor(By.cssSelector("nav.tabs a.active"));
            assertThat(active.getText()).isEqualTo(registry.path());
            assertThat(browser.find(By.id("new-entry")).getText()).isEqualTo("New " + registry.singular());
            browser.screenshotBothWidths("scripts-" + registry.path());
        }

        page("/ui/scripts/nonsense");
        assertThat(browser.waitFor(By.tagName("h1")).getText()).isEqualTo("404 Not found");
        assertThat(browser.find(By.cssSelector("main .form-error")).getText())
                .startsWith("there are no scripts called 'nonsense'");
    }

    @Test
    void aSubscriptWithANulCharacterIsRefusedNextToTheText() {
        page("/ui/scripts/subscripts/new");
        fill(By.id("name"), unique("nul"));
        ((JavascriptExecutor) browser.driver())
                .executeScript("document.getElementById('text').value = 'echo a\\u0000b';");
        submit("script-form");

        assertThat(browser.waitFor(By.id("text-error")).getText())
                .isEqualTo("'text' contains a NUL character (U+0000), which cannot be stored or searched for:"
                        + " remove it");
        assertThat(browser.find(By.id("text")).getAttribute("aria-invalid")).isEqualTo("true");
    }
}
