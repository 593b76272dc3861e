package io.clusterplatform.provisioner.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

/**
 * Distributor agents enrolled through the API, as the operator and the agent do it: the operator
 * creates an enrollment token for a site, the agent registers its host with it.
 */
public final class Agents {
    private Agents() {}

    /** An enrollment token: its id and its secret, shown once. */
    public record Token(long id, String secret) {}

    /** An enrolled, registered agent: its client (with its token), token, distributor id and site. */
    public record Agent(Api api, Token token, long distributorId, String site) {}

    /** A site (artifact id) of its own: {@code site-<uuid>.example}. */
    public static String site() {
        return "site-" + UUID.randomUUID() + ".example";
    }

    /** As the operator: a new enrollment token, named {@code lab}, for {@code site}. */
    public static Token createToken(Api api, String site) {
        Api.Response created =
                api.asOperator().post("/api/distributors/tokens", Json.body(Map.of("artifactId", site, "name", "lab")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new Token(
                created.json().get("id").asLong(), created.json().get("token").asText());
    }

    /** Enrols an agent for a new site of its own (see {@link #enrol(Api, String)}). */
    public static Agent enrol(Api api) {
        return enrol(api, site());
    }

    /** Creates a token for {@code site} as the operator and registers host {@code pxe-1} with it. */
    public static Agent enrol(Api api, String site) {
        Token token = createToken(api, site);
        Api agent = api.withToken(token.secret());
        Api.Response registered =
                agent.post("/api/distributors/register", Json.body(Map.of("hostname", "pxe-1", "version", "0.1")));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        return new Agent(agent, token, registered.json().get("id").asLong(), site);
    }
}
