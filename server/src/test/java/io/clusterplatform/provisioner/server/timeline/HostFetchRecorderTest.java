package io.clusterplatform.provisioner.server.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostFetchRecorderTest {

    @ParameterizedTest
    @CsvSource({
        "GET, /api/mainscripts/1, true",
        "HEAD, /api/subscripts/2, true",
        "GET, /api/kickstarts/3, true",
        "GET, /api/prebootscripts/4, true",
        "GET, /api/postbootscripts/5, true",
        "GET, /api/sshkeys/6, true",
        "GET, /assets/fedora29-vmlinuz, true",
        "GET, /ipxes/0b6a1f7e-0000-4000-8000-000000000001/ipxe.efi, true",
        "GET, /grubs/x/grub.img, true",
        "GET, /syslinuxs/x/isolinux.bin, true",
        "HEAD, /isos/x/dist.iso, true",
        "POST, /api/localnodes, true",
        "GET, /api/mainscripts, false",
        "POST, /api/mainscripts, false",
        "PUT, /api/mainscripts/1, false",
        "GET, /api/localnodes, false",
        "GET, /api/localnodes/1, false",
        "GET, /api/assets/vmlinuz, false",
        "PUT, /api/assets/vmlinuz, false",
        "GET, /api/distributors/1/events, false",
        "GET, /api/ipxes/1, false"
    })
    void recordsOnlyWhatBootingHostsFetch(String method, String path, boolean recorded) {
        assertThat(HostFetchRecorder.isHostFetch(method, path)).isEqualTo(recorded);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/mainscripts/1 | | /api/mainscripts/1",
                "/api/mainscripts/1 | artifactId=site.example | /api/mainscripts/1?artifactId=site.example",
                "/api/mainscripts/1 | token=secret&artifactId=site.example&x=1 | /api/mainscripts/1?artifactId=site.example",
                "/api/localnodes | ip=10.0.0.5&artifactId=a%3Ab&pingable=true | /api/localnodes?artifactId=a:b",
                "/api/mainscripts/1 | artifactId=%3Cscript%3E | /api/mainscripts/1",
                "/api/mainscripts/1 | artifactId=%zz | /api/mainscripts/1",
                "/api/mainscripts/1 | password=x | /api/mainscripts/1"
            })
    void keepsNoQueryButAValidArtifactId(String path, String query, String recorded) {
        assertThat(HostFetchLog.recordedPath(path, query)).isEqualTo(recorded);
    }
}
