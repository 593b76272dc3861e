package io.clusterplatform.provisioner.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    @Test
    void defaultsMatchTheDocumentedOnes() {
        JobSettings defaults = JobSettings.defaults();
        assertThat(defaults.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(defaults.lease()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.workers()).isEqualTo(2);
        assertThat(defaults.backoff().delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aLeaseMustOutliveSeveralPolls() {
        assertThatThrownBy(() -> new JobSettings(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        2,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ZERO))
                .hasMessageContaining("provisioner.jobs.lease (PT2S) must be at least three poll intervals");
    }

    @Test
    void refusesNoWorkers() {
        assertThatThrownBy(() -> new JobSettings(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(60),
                        0,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ZERO))
                .hasMessageContaining("provisioner.jobs.workers must be at least 1");
    }
}
