package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Collection;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.loader.openssh.OpenSSHKeyPairResourceParser;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * Reads {@code -----BEGIN OPENSSH PRIVATE KEY-----} ({@code openssh-key-v1}, see OpenSSH's
 * PROTOCOL.key). The outer structure is checked here so that each fault gets its own message
 * (encrypted, several keys, damaged); Apache MINA SSHD then decodes the key itself.
 */
final class OpenSshPrivateKeys {
    static final String LABEL = "OPENSSH PRIVATE KEY";
    /** ssh-keygen writes 70 base64 characters per line. */
    static final int LINE_WIDTH = 70;

    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    /** The cipher block size of unencrypted keys; OpenSSH refuses a private section of another length. */
    private static final int BLOCK_SIZE = 8;

    private OpenSshPrivateKeys() {}

    static ParsedSshKey parse(ArmouredBlock block) {
        SshWireReader reader = new SshWireReader(block.data(), "private key");
        if (!reader.startsWith(MAGIC)) {
            throw invalid("the data inside '-----BEGIN " + LABEL + "-----' is not an OpenSSH private key"
                    + " (the 'openssh-key-v1' marker is missing)");
        }
        reader.skip(MAGIC.length);
        String cipher = reader.string();
        String kdf = reader.string();
        reader.bytes(); // KDF options
        long keys = reader.uint32();
        if (!cipher.equals("none") || !kdf.equals("none")) {
            throw SshKeyProblems.encrypted();
        }
        if (keys != 1) {
            throw invalid("the file holds " + keys + " keys; store one key per entry");
        }
        reader.bytes(); // the public key, which MINA reads as the pair's public half
        byte[] privateSection = reader.bytes();
        if (reader.remaining() != 0 || privateSection.length % BLOCK_SIZE != 0) {
            throw invalid("the private key has the wrong length; it is damaged or cut off");
        }
        SshWireReader checks = new SshWireReader(privateSection, "private key");
        if (checks.uint32() != checks.uint32()) {
            throw invalid("the private key's check numbers differ; it is damaged");
        }

        String text = block.encode(LINE_WIDTH);
        KeyPair pair = decode(text);
        // The private section repeats the public key, but MINA takes the header's: prove they belong together.
        KeyPairCheck.requireMatching(pair);
        PublicKeyFacts facts = PublicKeyFacts.of(pair.getPublic());
        return new ParsedSshKey(
                SshKeyFormat.OPENSSH_PRIVATE,
                facts.algorithm(),
                facts.keyType(),
                facts.bits(),
                facts.fingerprint(),
                facts.line(),
                text);
    }

    /** The pair as an unencrypted {@code -----BEGIN OPENSSH PRIVATE KEY-----} text with no comment. */
    static String write(KeyPair pair) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "", (OpenSSHKeyEncryptionContext) null, out);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "cannot write a " + pair.getPrivate().getAlgorithm() + " private key", e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static KeyPair decode(String text) {
        Collection<KeyPair> pairs;
        try {
            pairs = OpenSSHKeyPairResourceParser.INSTANCE.loadKeyPairs(
                    null, NamedResource.ofName("sshkey"), null, text);
        } catch (Exception e) {
            // MINA's messages name the fault (e.g. an unknown key type), never key material.
            throw invalid("the private key could not be read: " + e.getMessage());
        }
        if (pairs == null || pairs.size() != 1) {
            throw invalid("the private key could not be read");
        }
        return pairs.iterator().next();
    }
}
