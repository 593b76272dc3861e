package io.clusterplatform.provisioner.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dashboard logins over plain HTTP, as the login form makes them (for tests without a browser). */
public final class DashboardLogins {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    private DashboardLogins() {}

    /** Logs in with the operator token as the login form does; answers the session cookie. */
    public static String logIn(Api api) {
        Api.Response form = api.get("/ui/login");
        String first = sessionCookie(form);
        Api withCookie = api.withHeader("Cookie", first);
        Api.Response in = withCookie.send(withCookie
                .builder("/ui/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token="
                        + URLEncoder.encode(ServerIntegrationTest.OPERATOR_TOKEN, StandardCharsets.UTF_8) + "&_csrf="
                        + csrf(form.body()))));
        assertThat(in.status()).as(in.toString()).isEqualTo(302);
        return sessionCookie(in);
    }

    public static String sessionCookie(Api.Response response) {
        return response.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("PROVISIONER_SESSION="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no session cookie in " + response.raw().headers()));
    }

    public static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in " + html).isTrue();
        return URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    }
}
