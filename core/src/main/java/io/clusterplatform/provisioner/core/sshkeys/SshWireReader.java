package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the SSH wire encoding (RFC 4251: uint32 and length-prefixed strings) of key blobs. */
final class SshWireReader {
    private final byte[] data;
    private final String what;
    private int position;

    /** @param what names the data in messages, e.g. "private key" */
    SshWireReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    boolean startsWith(byte[] prefix) {
        return data.length - position >= prefix.length
                && Arrays.equals(data, position, position + prefix.length, prefix, 0, prefix.length);
    }

    void skip(int count) {
        require(count);
        position += count;
    }

    long uint32() {
        require(4);
        long value = ((data[position] & 0xffL) << 24)
                | ((data[position + 1] & 0xffL) << 16)
                | ((data[position + 2] & 0xffL) << 8)
                | (data[position + 3] & 0xffL);
        position += 4;
        return value;
    }

    byte[] bytes() {
        long length = uint32();
        if (length > data.length - position) {
            throw cutShort();
        }
        byte[] value = Arrays.copyOfRange(data, position, position + (int) length);
        position += (int) length;
        return value;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    int remaining() {
        return data.length - position;
    }

    private void require(int count) {
        if (data.length - position < count) {
            throw cutShort();
        }
    }

    private RuntimeException cutShort() {
        return invalid("the " + what + " data ends too early; it is damaged or cut off");
    }
}
