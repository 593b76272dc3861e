package io.clusterplatform.provisioner.server.sshkeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clusterplatform.provisioner.core.testing.SshKeygen;
import io.clusterplatform.provisioner.server.testing.Api.Response;
import io.clusterplatform.provisioner.server.testing.ServerIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshKeyGeneratorApiTest extends ServerIntegrationTest {

    @ParameterizedTest
    @CsvSource({"ecdsa, ecdsa-sha2-nistp256, 256", "ed25519, ssh-ed25519, 256", "rsa, ssh-rsa, 3072"})
    void generatesPairThatSshKeygenAccepts(String algorithm, String keyType, int bits) {
        Response response = api.asOperator().get("/api/sshkey?algorithm=" + algorithm);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.raw().headers().firstValue("Cache-Control"))
                .hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        JsonNode pair = response.json();
        assertThat(pair.get("algorithm").asText()).isEqualTo(algorithm);
        String publicKey = pair.get("publicKey").asText();
        String privateKey = pair.get("privateKey").asText();
        assertThat(publicKey).startsWith(keyType + " AAAA").endsWith("\n");
        assertThat(privateKey).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        assertThat(SshKeygen.publicKeyOf(privateKey)
                        .requireSuccess("-y")
                        .stdout()
                        .strip())
                .isEqualTo(publicKey.strip());
        assertThat(SshKeygen.fingerprint(privateKey))
                .isEqualTo(pair.get("fingerprint").asText());
        assertThat(SshKeygen.bits(publicKey)).isEqualTo(bits);
    }

    @Test
    void generatesEcdsaWhenNoAlgorithmIsGiven() {
        Response response = api.asOperator().get("/api/sshkey");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("algorithm").asText()).isEqualTo("ecdsa");
        assertThat(response.json().get("publicKey").asText()).startsWith("ecdsa-sha2-nistp256 ");
    }

    @Test
    void generatedPairCanBeStored() {
        JsonNode pair = api.asOperator().get("/api/sshkey?algorithm=ed25519").json();

        Response stored = api.asOperator()
                .post(
                        "/api/sshkeys",
                        SshKeysApiTest.request(pair.get("privateKey").asText(), "generated.site", true));

        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        assertThat(stored.json().get("fingerprint").asText())
                .isEqualTo(pair.get("fingerprint").asText());
        assertThat(stored.json().get("text").asText())
                .isEqualTo(pair.get("privateKey").asText());
    }

    @Test
    void unknownAlgorithmIs400ListingSupportedOnes() {
        Response response = api.asOperator().get("/api/sshkey?algorithm=dsa");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("detail").asText())
                .isEqualTo("unknown SSH key algorithm 'dsa'; supported algorithms: ecdsa, ed25519, rsa");
    }

    @Test
    void needsToken() {
        Response response = api.get("/api/sshkey?algorithm=ecdsa");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("PRIVATE KEY");
    }
}
