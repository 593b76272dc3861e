package io.clusterplatform.provisioner.server.sshkeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.sshkeys.GeneratedSshKeyPair;
import io.clusterplatform.provisioner.core.sshkeys.SshKeyAlgorithm;
import io.clusterplatform.provisioner.core.sshkeys.SshKeyPairs;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardBrowserTest;
import io.clusterplatform.provisioner.server.testing.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The SSH keys pages: the list that never shows a private key, adding a key, generating a pair. */
class SshKeyPagesTest extends DashboardBrowserTest {

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The base64 lines of a private key: none of them may appear where the key must not be shown. */
    private static List<String> secretLines(String privateKey) {
        return privateKey.lines().filter(line -> !line.startsWith("-----")).toList();
    }

    private void fill(String id, String value) {
        WebElement element = browser.find(By.id(id));
        element.clear();
        element.sendKeys(value);
    }

    /** Pastes text into a field at once, as a paste does (typing a key key by key is slow). */
    private void paste(String id, String value) {
        ((JavascriptExecutor) browser.driver())
                .executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, value);
    }

    private void submit(String formId) {
        browser.find(By.cssSelector("#" + formId + " button[type=submit]")).click();
    }

    private static String request(String text, String artifactId, Boolean isPrivate) {
        Map<String, Object> request = Json.object("text", text, "artifactId", artifactId);
        return Json.body(isPrivate == null ? request : Json.with(request, "private", isPrivate));
    }

    @Test
    void anAddedPrivateKeyIsListedWithoutItsTextAndCanBeDeleted() {
        GeneratedSshKeyPair pair = SshKeyPairs.generate(SshKeyAlgorithm.ECDSA);
        String name = unique("deploy");
        String artifactId = unique("site") + ".example";
        page("/ui/sshkeys");
        browser.waitFor(By.id("add-key")).click();
        browser.waitFor(By.id("add-form"));
        browser.screenshotBothWidths("sshkeys-add");

        fill("name", name);
        fill("artifactId", artifactId);
        new Select(browser.find(By.id("private"))).selectByValue("true");
        fill("text", pair.privateKey());
        submit("add-form");

        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).startsWith("Added private key ");
        WebElement row = browser.find(By.xpath("//table[@id='keys']//tr[td[normalize-space()='" + name + "']]"));
        long id = Long.parseLong(row.getAttribute("data-id"));
        assertThat(row.getText()).contains("private").contains(artifactId).contains(pair.fingerprint());
        String html = browser.driver().getPageSource();
        assertThat(html).doesNotContain("PRIVATE KEY-----");
        secretLines(pair.privateKey()).forEach(line -> assertThat(html).doesNotContain(line));
        browser.screenshotBothWidths("sshkeys-list");

        Api.Response stored = api.asOperator().getJson("/api/sshkeys/" + id);
        assertThat(stored.json().get("private").asBoolean()).isTrue();
        assertThat(stored.json().get("name").asText()).isEqualTo(name);
        assertThat(stored.json().get("fingerprint").asText()).isEqualTo(pair.fingerprint());
        assertThat(stored.json().get("text").asText()).isEqualTo(pair.privateKey());

        page("/ui/sshkeys?search=" + artifactId);
        browser.waitFor(By.cssSelector("#keys tr[data-id='" + id + "'] form button"))
                .click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(browser.waitFor(By.cssSelector("p.notice")).getText()).isEqualTo("Deleted private key " + id + ".");
        assertThat(browser.findAll(By.cssSelector("#keys tr[data-id='" + id + "']")))
                .isEmpty();
        assertThat(api.asOperator().getJson("/api/sshkeys/" + id).status()).isEqualTo(404);
    }

    @Test
    void aGeneratedPairIsStoredAndItsPrivateKeyShownOnce() {
        String artifactId = unique("gen") + ".example";
        page("/ui/sshkeys/generate");
        browser.waitFor(By.id("generate-form"));
        browser.screenshotBothWidths("sshkeys-generate");
        fill("name", "generated for " + artifactId);
        fill("artifactId", artifactId);
        new Select(browser.find(By.id("algorithm"))).selectByValue("ed25519");
        submit("generate-form");

        WebElement secret = browser.waitFor(By.cssSelector("section.secret#generated"));
        String privateKey = browser.find(By.id("generated-private")).getText();
        String publicKey = browser.find(By.id("generated-public")).getText();
        assertThat(privateKey).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(publicKey).startsWith("ssh-ed25519 ");
        assertThat(secret.findElement(By.cssSelector("button[data-copy='generated-private']"))
                        .isDisplayed())
                .isTrue();
        assertThat(browser.find(By.cssSelector("p.notice")).getText())
                .startsWith("Generated a ed25519 pair and stored it: public key ");
        browser.screenshotBothWidths("sshkeys-generated");

        Api.Response stored = api.asOperator().get("/api/sshkeys?search=" + artifactId + "&searchFields=artifactId");
        assertThat(stored.json().get("total").asInt()).isEqualTo(2);
        long publicId = -1;
        long privateId = -1;
        for (var key : stored.json().get("rows")) {
            if (key.get("private").asBoolean()) {
                privateId = key.get("id").asLong();
            } else {
                publicId = key.get("id").asLong();
            }
        }
        assertThat(api.get("/api/sshkeys/" + publicId).body().strip()).isEqualTo(publicKey.strip());
        assertThat(api.asOperator().get("/api/sshkeys/" + privateId).body().strip())
                .as("the key shown is the key stored")
                .isEqualTo(privateKey.strip());

        browser.driver().navigate().refresh();
        browser.waitFor(By.id("keys"));
        assertThat(browser.findAll(By.id("generated"))).as("shown once").isEmpty();
        String html = browser.driver().getPageSource();
        secretLines(privateKey).forEach(line -> assertThat(html).doesNotContain(line));
    }

    @Test
    void whatIsWrongWithAKeyIsShownNextToItsFieldInTheApisWords() {
        String artifactId = unique("bad") + ".example";
        String badText = "ssh-ed25519 not-base64!";
        page("/ui/sshkeys/new");
        fill("artifactId", artifactId);
        fill("text", badText);
        submit("add-form");

        Api.Response refused = api.asOperator().post("/api/sshkeys", request(badText, artifactId, null));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(browser.waitFor(By.id("text-error")).getText())
                .isEqualTo(refused.json().get("detail").asText())
                .startsWith("invalid SSH key: ");
        assertThat(browser.find(By.id("text")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findAll(By.cssSelector("#add-form .form-error"))).isEmpty();
        browser.screenshotBothWidths("sshkeys-add-error");

        GeneratedSshKeyPair pair = SshKeyPairs.generate(SshKeyAlgorithm.ECDSA);
        fill("artifactId", "");
        paste("text", pair.publicKey());
        submit("add-form");
        assertThat(browser.waitFor(By.id("artifactId-error")).getText())
                .isEqualTo(api.asOperator()
                        .post("/api/sshkeys", request(pair.publicKey(), "", null))
                        .json()
                        .get("detail")
                        .asText());

        fill("artifactId", artifactId);
        new Select(browser.find(By.id("private"))).selectByValue("true");
        submit("add-form");
        assertThat(browser.waitFor(By.id("private-error")).getText())
                .startsWith("'private' is true but the text is a public key");
        assertThat(api.asOperator()
                        .get("/api/sshkeys?search=" + artifactId + "&searchFields=artifactId")
                        .json()
                        .get("total")
                        .asInt())
                .as("nothing was stored")
                .isZero();
    }

    @Test
    void aRefusedPrivateKeyIsNotSentBackToTheBrowser() {
        GeneratedSshKeyPair pair = SshKeyPairs.generate(SshKeyAlgorithm.ED25519);
        page("/ui/sshkeys/new");
        fill("artifactId", "");
        paste("text", pair.privateKey());
        submit("add-form");

        assertThat(browser.waitFor(By.id("artifactId-error")).getText()).isNotBlank();
        assertThat(browser.find(By.id("text")).getAttribute("value")).isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain("PRIVATE KEY-----");
        assertThat(browser.find(By.id("text-again")).getText()).contains("paste it again");
    }
}
