package io.clusterplatform.provisioner.core.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.artifacts.ByteRange.Part;
import io.clusterplatform.provisioner.core.artifacts.ByteRange.Unsatisfiable;
import io.clusterplatform.provisioner.core.artifacts.ByteRange.Whole;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    private static final long LENGTH = 1000;

    @Test
    void noHeaderMeansTheWholeFile() {
        assertThat(ByteRange.of(null, LENGTH)).isEqualTo(new Whole());
    }

    @Test
    void firstBytes() {
        Part part = (Part) ByteRange.of("bytes=0-99", LENGTH);
        assertThat(part).isEqualTo(new Part(0, 99, LENGTH));
        assertThat(part.length()).isEqualTo(100);
        assertThat(part.contentRange()).isEqualTo("bytes 0-99/1000");
    }

    @Test
    void middleBytes() {
        assertThat(ByteRange.of("bytes=500-599", LENGTH)).isEqualTo(new Part(500, 599, LENGTH));
    }

    @Test
    void suffixMeansTheLastBytes() {
        assertThat(ByteRange.of("bytes=-100", LENGTH)).isEqualTo(new Part(900, 999, LENGTH));
        assertThat(ByteRange.of("bytes=-5000", LENGTH)).isEqualTo(new Part(0, 999, LENGTH));
    }

    @Test
    void openEndedRunsToTheEnd() {
        assertThat(ByteRange.of("bytes=990-", LENGTH)).isEqualTo(new Part(990, 999, LENGTH));
    }

    @Test
    void aLastPositionBeyondTheEndIsCut() {
        assertThat(ByteRange.of("bytes=900-5000", LENGTH)).isEqualTo(new Part(900, 999, LENGTH));
        assertThat(ByteRange.of("bytes=0-99999999999999999999999", LENGTH)).isEqualTo(new Part(0, 999, LENGTH));
    }

    @Test
    void aRangeStartingAfterTheEndIsUnsatisfiable() {
        Unsatisfiable unsatisfiable = (Unsatisfiable) ByteRange.of("bytes=1000-", LENGTH);
        assertThat(unsatisfiable.contentRange()).isEqualTo("bytes */1000");
        assertThat(ByteRange.of("bytes=99999999999999999999999-", LENGTH)).isInstanceOf(Unsatisfiable.class);
        assertThat(ByteRange.of("bytes=-0", LENGTH)).isInstanceOf(Unsatisfiable.class);
        assertThat(ByteRange.of("bytes=0-0", 0)).isInstanceOf(Unsatisfiable.class);
    }

    @Test
    void malformedOtherUnitsAndSeveralRangesAreIgnored() {
        assertThat(ByteRange.of("bytes=5-1", LENGTH)).isEqualTo(new Whole());
        assertThat(ByteRange.of("bytes=-", LENGTH)).isEqualTo(new Whole());
        assertThat(ByteRange.of("items=0-1", LENGTH)).isEqualTo(new Whole());
        assertThat(ByteRange.of("bytes=0-1,5-9", LENGTH)).isEqualTo(new Whole());
        assertThat(ByteRange.of("bytes=a-b", LENGTH)).isEqualTo(new Whole());
    }
}
