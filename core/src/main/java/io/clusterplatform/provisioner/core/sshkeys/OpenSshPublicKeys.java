package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/** Reads one OpenSSH public key line: {@code type base64 [comment]}, as in {@code authorized_keys}. */
final class OpenSshPublicKeys {
    private static final int MAX_QUOTED = 40;

    private OpenSshPublicKeys() {}

    static ParsedSshKey parse(String text) {
        String stripped = text.strip();
        if (stripped.startsWith("PuTTY-User-Key-File")) {
            throw invalid("PuTTY keys are not supported; convert with 'puttygen <key.ppk> -O private-openssh"
                    + " -o <keyfile>'");
        }
        if (stripped.startsWith("---- BEGIN SSH2 PUBLIC KEY")) {
            throw invalid("this is an RFC 4716 (SSH2) public key; convert it to an OpenSSH line with"
                    + " 'ssh-keygen -i -f <file>'");
        }
        List<String> lines =
                text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.size() != 1) {
            throw invalid("the text holds " + lines.size() + " lines; a public key is one line"
                    + " ('type base64 comment'), store one key per entry");
        }
        String[] parts = lines.getFirst().split("\\s+", 3);
        String type = parts[0];
        if (SshKeyAlgorithm.ofKeyType(type).isEmpty()) {
            throw unknownType(lines.getFirst(), type);
        }
        if (parts.length < 2) {
            throw invalid("the base64 key data after '" + type + "' is missing");
        }
        byte[] blob = ArmouredBlock.decodeBase64(parts[1], "public key");
        String blobType = new SshWireReader(blob, "public key").string();
        if (!blobType.equals(type)) {
            throw invalid("the line says '" + type + "' but its key data is a '" + quote(blobType) + "' key");
        }
        PublicKey key;
        try {
            key = new ByteArrayBuffer(blob).getRawPublicKey();
        } catch (Exception e) {
            throw invalid("the public key data is damaged (" + e.getMessage() + ")");
        }
        PublicKeyFacts facts = PublicKeyFacts.of(key);
        String comment = parts.length > 2 ? parts[2].strip() : "";
        String line = facts.line().strip() + (comment.isEmpty() ? "" : " " + comment) + "\n";
        return new ParsedSshKey(
                SshKeyFormat.OPENSSH_PUBLIC,
                facts.algorithm(),
                facts.keyType(),
                facts.bits(),
                facts.fingerprint(),
                facts.line(),
                line);
    }

    private static RuntimeException unknownType(String line, String type) {
        if (type.equals("ssh-dss")) {
            return invalid("DSA keys (ssh-dss) are not supported: OpenSSH turned them off; use "
                    + SshKeyAlgorithm.supported());
        }
        if (line.matches(".*\\s(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\\d+)\\s.*")) {
            return invalid("the line starts with authorized_keys options; store only the key itself:"
                    + " 'type base64 comment'");
        }
        return invalid("'" + quote(type) + "' is not a key type the provisioner knows; send an OpenSSH public"
                + " key line ('ssh-ed25519 AAAA... comment', ecdsa-sha2-nistp256/384/521, ssh-rsa), an OpenSSH"
                + " private key or an unencrypted PEM private key (RSA, EC or PKCS#8)");
    }

    private static String quote(String value) {
        return value.length() <= MAX_QUOTED ? value : value.substring(0, MAX_QUOTED) + "...";
    }
}
