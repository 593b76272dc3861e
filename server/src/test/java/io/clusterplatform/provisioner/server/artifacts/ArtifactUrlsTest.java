package io.clusterplatform.provisioner.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import io.clusterplatform.provisioner.server.http.ServerUrl;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

class ArtifactUrlsTest {
    private static final UUID ID = UUID.fromString("bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b");

    @AfterEach
    void noRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void usesTheConfiguredPublicUrl() {
        ArtifactUrls urls = urls("https://provisioner.example:8443/");
        inRequest("10.0.0.5", 8080);

        assertThat(urls.downloadUrl(ArtifactKind.IPXES, ID, "ipxe.efi"))
                .isEqualTo("https://provisioner.example:8443/ipxes/bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b/ipxe.efi");
    }

    @Test
    void keepsAPathPrefixOfThePublicUrl() {
        assertThat(urls("http://proxy.example/provisioner").downloadUrl(ArtifactKind.ISOS, ID, "dist.iso"))
                .isEqualTo("http://proxy.example/provisioner/isos/" + ID + "/dist.iso");
    }

    @Test
    void withoutAPublicUrlTakesSchemeHostAndPortOfTheRequest() {
        inRequest("provisioner.lan", 18080);

        assertThat(urls("").downloadUrl(ArtifactKind.ISOS, ID, "dist.iso"))
                .isEqualTo("http://provisioner.lan:18080/isos/" + ID + "/dist.iso");
    }

    @Test
    void withoutAPublicUrlOrARequestSaysWhatToSet() {
        assertThatThrownBy(() -> urls("").downloadUrl(ArtifactKind.ISOS, ID, "dist.iso"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("provisioner.public-url");
    }

    @Test
    void refusesAPublicUrlThatIsNotHttp() {
        for (String bad : new String[] {"ftp://x.example", "provisioner.example", "http://x.example/?a=b", "http://"}) {
            assertThatThrownBy(() -> urls(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesAFileNameThatIsNotOneSegment() {
        assertThatThrownBy(() -> urls("http://x.example").downloadUrl(ArtifactKind.ISOS, ID, "../dist.iso"))
                .hasMessageContaining("artifact file name");
    }

    private static ArtifactUrls urls(String publicUrl) {
        return new ArtifactUrls(new ServerUrl(
                new ProvisionerProperties(Path.of("data"), "", "", "", "", true, DataSize.ofMegabytes(1), publicUrl)));
    }

    private static void inRequest(String host, int port) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/ipxes/1");
        request.setServerName(host);
        request.setServerPort(port);
        request.addHeader("Host", host + ":" + port);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }
}
