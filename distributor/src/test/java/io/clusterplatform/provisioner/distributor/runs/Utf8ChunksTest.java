package io.clusterplatform.provisioner.distributor.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8ChunksTest {
    private final List<String> chunks = new ArrayList<>();
    private final Utf8Chunks stream = new Utf8Chunks(chunks::add);

    @Test
    void passesOnEachWriteAsItComes() {
        stream.write(bytes("first\n"), 0, 6);
        assertThat(chunks).containsExactly("first\n");

        stream.write(bytes("second\n"), 0, 7);
        assertThat(chunks).containsExactly("first\n", "second\n");
    }

    @Test
    void keepsACharacterSplitAcrossWritesWhole() {
        byte[] text = bytes("ä€😀!");
        for (byte b : text) {
            stream.write(b);
        }
        stream.close();

        assertThat(String.join("", chunks)).isEqualTo("ä€😀!");
        assertThat(chunks).containsExactly("ä", "€", "😀", "!");
    }

    @Test
    void replacesBytesThatAreNotUtf8() {
        stream.write(new byte[] {'a', (byte) 0xff, 'b'}, 0, 3);

        assertThat(chunks).containsExactly("a\uFFFDb");
    }

    @Test
    void passesOnAnUnfinishedCharacterAtTheEndAsAReplacement() {
        byte[] euro = bytes("€");
        stream.write(euro, 0, 2);
        assertThat(chunks).isEmpty();

        stream.close();
        assertThat(chunks).containsExactly("\uFFFD");
    }

    @Test
    void ignoresWritesAfterClose() {
        stream.close();
        stream.write(bytes("late"), 0, 4);

        assertThat(chunks).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
