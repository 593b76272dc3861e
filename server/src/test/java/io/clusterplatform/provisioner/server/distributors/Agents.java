package io.clusterplatform.provisioner.server.distributors;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Api;
import java.util.UUID;

/** Test helpers: a distributor agent enrolled through the API, with a site of its own. */
public final class Agents {
    private Agents() {}

    /** An enrolled, registered agent: its client (with its token), token id, distributor id and site. */
    public record Agent(Api api, long tokenId, long distributorId, String site) {}

    public static String site() {
        return "site-" + UUID.randomUUID() + ".example";
    }

    /** Creates a token for a new site as the operator and registers host {@code pxe-1} with it. */
    public static Agent enrol(Api api) {
        String site = site();
        Api.Response created =
                api.asOperator().post("/api/distributors/tokens", "{\"artifactId\":\"" + site + "\",\"name\":\"lab\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Api agent = api.withToken(created.json().get("token").asText());
        Api.Response registered =
                agent.post("/api/distributors/register", "{\"hostname\":\"pxe-1\",\"version\":\"0.1\"}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        return new Agent(
                agent,
                created.json().get("id").asLong(),
                registered.json().get("id").asLong(),
                site);
    }
}
