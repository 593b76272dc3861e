package io.clusterplatform.provisioner.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RelayProbeTest {
    @Test
    void aProbeCarriesItsNonceAndIsSixteenBytes() {
        byte[] probe = RelayProbe.probe(0x1234_5678_9abc_def0L);
        assertThat(probe).hasSize(RelayProbe.LENGTH);
        assertThat(RelayProbe.nonce(probe, probe.length)).hasValue(0x1234_5678_9abc_def0L);
        assertThat(RelayProbe.nonce(RelayProbe.probe(-1), 16)).hasValue(-1);
    }

    @Test
    void nothingElseIsAProbe() {
        byte[] probe = RelayProbe.probe(7);
        assertThat(RelayProbe.isProbe(probe, 15)).as("shorter").isFalse();
        assertThat(RelayProbe.isProbe(Arrays.copyOf(probe, 17), 17))
                .as("longer")
                .isFalse();
        byte[] handshake = new byte[16];
        handshake[0] = 1; // a WireGuard handshake initiation starts 01 00 00 00
        assertThat(RelayProbe.isProbe(handshake, 16)).isFalse();
        byte[] tail = probe.clone();
        tail[15] = 1;
        assertThat(RelayProbe.isProbe(tail, 16))
                .as("the last four bytes are zero")
                .isFalse();
        assertThat(RelayProbe.nonce(handshake, 16)).isEmpty();
    }
}
