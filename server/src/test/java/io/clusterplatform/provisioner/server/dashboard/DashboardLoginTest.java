package io.clusterplatform.provisioner.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.DashboardBrowserTest;
import io.clusterplatform.provisioner.server.testing.Json;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** Logging in and out of the dashboard, its session, and the overview's live counts. */
class DashboardLoginTest extends DashboardBrowserTest {

    private void logOut() {
        browser.find(By.cssSelector("form.logout button")).click();
        browser.waitFor(By.id("token"));
    }

    @Test
    void aWrongTokenIsRefusedNextToTheField() {
        logOut();
        assertThat(browser.find(By.cssSelector("[role=status]")).getText()).isEqualTo("You are logged out.");

        browser.find(By.id("token")).sendKeys("not-a-token-of-this-server-0123456789");
        browser.find(By.cssSelector("form button[type=submit]")).click();

        assertThat(browser.waitFor(By.id("token-error")).getText())
                .isEqualTo("this token is unknown or revoked; create one with 'provisioner token create'");
        browser.screenshotBothWidths("login-refused");
        page("/ui/nodes");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/ui/login");
    }

    @Test
    void theOverviewCountsNodesAndRefreshesByItself() {
        page("/ui/");
        int before = Integer.parseInt(browser.waitFor(By.id("nodes-total")).getText());
        browser.screenshotBothWidths("overview");
        assertThat(browser.find(By.id("public-url-unset")).getText())
                .as("this test server has no provisioner.public-url: the overview says so")
                .contains("PROVISIONER_PUBLIC_URL")
                .contains("Host header");

        Api.Response node = api.post("/api/localnodes?ip=10.77.0.9&artifactId=overview-test&pingable=true");
        assertThat(node.status()).as(node.toString()).isEqualTo(201);

        browser.until(
                ExpectedConditions.textToBe(By.id("nodes-total"), String.valueOf(before + 1)),
                java.time.Duration.ofSeconds(15));
        int meshBefore = Integer.parseInt(browser.find(By.id("mesh-nodes")).getText());
        String network = "overview-" + System.nanoTime() % 1_000_000;
        assertThat(api.asOperator()
                        .post("/api/mesh/networks", Json.body(Map.of("networkId", network)))
                        .status())
                .isEqualTo(201);
        String token = api.asOperator()
                .post("/api/mesh/networks/" + network + "/tokens", "{}")
                .json()
                .get("token")
                .asText();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Api.Response joined = api.post(
                "/api/mesh/join",
                Json.body(Map.of(
                        "token",
                        token,
                        "publicKey",
                        java.util.Base64.getEncoder().encodeToString(key),
                        "hostname",
                        "overview-node")));
        assertThat(joined.status()).as(joined.toString()).isEqualTo(201);

        browser.until(
                ExpectedConditions.textToBe(By.id("mesh-nodes"), String.valueOf(meshBefore + 1)),
                java.time.Duration.ofSeconds(15));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/ui/");
    }

    @Test
    void revokingTheTokenEndsTheSession() {
        Api.Response created = api.asOperator().post("/api/tokens", Json.body(Map.of("name", "dashboard-revoke-test")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        logOut();
        browser.logIn(base(), created.json().get("token").asText());
        page("/ui/");
        assertThat(browser.waitFor(By.id("nodes-total")).isDisplayed()).isTrue();

        Api.Response revoked = api.asOperator()
                .delete("/api/tokens/" + created.json().get("id").asLong());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        page("/ui/");

        assertThat(browser.driver().getCurrentUrl()).endsWith("/ui/login");
    }

    @Test
    void theSessionCookieOpensNoApiAndFormsNeedTheirCsrfToken() {
        Cookie session = browser.driver().manage().getCookieNamed("PROVISIONER_SESSION");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        Api withCookie = api.withHeader("Cookie", "PROVISIONER_SESSION=" + session.getValue());

        assertThat(withCookie.get("/api/localnodes").status()).isEqualTo(401);
        assertThat(withCookie.get("/ui/").status()).isEqualTo(200);
        Api.Response forged = withCookie.send(withCookie
                .builder("/ui/logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")));
        assertThat(forged.status())
                .as("a POST of this session without its CSRF token")
                .isEqualTo(403);
        assertThat(forged.raw().headers().firstValue("Set-Cookie"))
                .as("the session stays")
                .isEmpty();
        assertThat(withCookie.get("/ui/").status())
                .as("the forged logout did nothing")
                .isEqualTo(200);
    }

    @Test
    void withoutASessionPagesLeadToTheLoginAndTheRootToTheDashboard() {
        Api.Response page = api.get("/ui/nodes");
        Api.Response root = api.get("/");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.raw().headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/ui/login"));
        assertThat(root.status()).isEqualTo(302);
        assertThat(api.get("/ui/assets/app.css").status()).isEqualTo(200);
        assertThat(api.get("/ui/login").raw().headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    }

    @Test
    void aFormSentAfterTheSessionEndedLeadsToTheLoginNotA403() {
        Api.Response created =
                api.asOperator().post("/api/tokens", Json.body(Map.of("name", "dashboard-expired-form")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        logOut();
        browser.logIn(base(), created.json().get("token").asText());
        page("/ui/");
        browser.waitFor(By.id("nodes-total"));
        assertThat(api.asOperator()
                        .delete("/api/tokens/" + created.json().get("id").asLong())
                        .status())
                .isEqualTo(200);

        browser.find(By.cssSelector("form.logout button")).click();

        browser.until(ExpectedConditions.urlContains("/ui/login?expired"));
        assertThat(browser.waitFor(By.cssSelector("[role=status]")).getText()).startsWith("Your session ended");
    }

    @Test
    void aFormMissingAFieldIsA400PageNotAServerError() {
        page("/ui/");
        browser.waitFor(By.id("nodes-total"));

        // the remove-node form without its nodeId, with this session's CSRF token
        ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                .executeScript("const form = document.createElement('form');"
                        + "form.method = 'post'; form.action = '/ui/mesh/any-network/nodes/remove';"
                        + "form.appendChild(document.querySelector('input[name=_csrf]').cloneNode());"
                        + "document.body.appendChild(form); form.submit();");

        String heading = browser.until(d -> {
            String shown = d.findElement(By.tagName("h1")).getText();
            return shown.equals("Overview") ? null : shown;
        });
        assertThat(heading).startsWith("400");
        assertThat(browser.find(By.cssSelector("main [role=alert]")).getText()).contains("nodeId");
    }
}
