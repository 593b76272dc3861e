package io.clusterplatform.provisioner.distributor.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelayProbesTest {
    private static Map<Long, Long> round(Long relay1, Long relay2) {
        Map<Long, Long> round = new HashMap<>();
        round.put(1L, relay1);
        round.put(2L, relay2);
        return round;
    }

    @Test
    void oneSlowRoundMovesNothingAndNoAnswerCountsAtOnce() {
        RelayProbes.Window window = new RelayProbes.Window();
        assertThat(window.add(round(800L, 900L))).containsEntry(1L, 800L).containsEntry(2L, 900L);
        assertThat(window.add(round(40_000L, 700L)))
                .as("a pause of the agent: the fastest of the last rounds")
                .containsEntry(1L, 800L)
                .containsEntry(2L, 700L);
        assertThat(window.add(round(45_000L, 900L))).containsEntry(1L, 800L);
        assertThat(window.add(round(50_000L, 900L)))
                .as("slow for three rounds: slow")
                .containsEntry(1L, 40_000L);
        assertThat(window.add(round(null, 900L))).containsEntry(1L, null).containsEntry(2L, 900L);
        assertThat(window.add(round(1_000L, 900L)))
                .as("back: what it measures now, not before it went")
                .containsEntry(1L, 1_000L);
        assertThat(window.add(Map.of(2L, 600L))).containsOnlyKeys(2L);
        assertThat(window.add(round(5_000L, 600L)))
                .as("a relay that left and came back starts afresh")
                .containsEntry(1L, 5_000L);
    }
}
