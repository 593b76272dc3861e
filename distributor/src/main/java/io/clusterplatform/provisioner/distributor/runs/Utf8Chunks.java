package io.clusterplatform.provisioner.distributor.runs;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands on what is written as text, chunk by chunk as it comes: bytes are
 * decoded as UTF-8, a character split across two writes is passed on whole with the second, and
 * bytes that are not UTF-8 become U+FFFD. {@link #close()} passes on what is left.
 */
final class Utf8Chunks extends OutputStream {
    private final Consumer<String> target;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** At most the 3 bytes of an unfinished character, between writes. */
    private ByteBuffer pending = ByteBuffer.allocate(0);

    private boolean closed;

    Utf8Chunks(Consumer<String> target) {
        this.target = target;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (closed || length == 0) {
            return;
        }
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + length);
        in.put(pending).put(bytes, offset, length).flip();
        CharBuffer out = CharBuffer.allocate((int) (in.remaining() * (double) decoder.maxCharsPerByte()) + 1);
        decoder.decode(in, out, false);
        pending = in.slice();
        emit(out);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, out, true);
        decoder.flush(out);
        pending = ByteBuffer.allocate(0);
        emit(out);
    }

    private void emit(CharBuffer out) {
        out.flip();
        if (out.hasRemaining()) {
            target.accept(out.toString());
        }
    }
}
