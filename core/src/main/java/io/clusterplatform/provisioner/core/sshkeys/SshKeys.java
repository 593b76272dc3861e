package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.List;
import java.util.Map;

/**
 * Checks and normalises the SSH keys operators store. Accepted: one OpenSSH public key line
 * ({@code ssh-ed25519 AAAA... comment}, ECDSA on P-256/384/521, RSA), an OpenSSH private key
 * ({@code -----BEGIN OPENSSH PRIVATE KEY-----}) or an unencrypted PEM private key (PKCS#1 RSA, SEC1
 * EC, PKCS#8). Encrypted private keys are refused: the server has to use them later without a
 * passphrase.
 *
 * <p>Normalising repairs what copying does to keys, so that what is stored is what {@code ssh} and
 * {@code ssh-keygen} accept: missing base64 {@code =} padding (the original API's example private key lacks
 * it, and ssh-keygen refuses it as it is), other line lengths, CRLF, indentation, a missing final
 * newline. Errors are 400 problems that say what is wrong and never quote key material.
 */
public final class SshKeys {
    private SshKeys() {}

    /** The key in {@code text}, checked and normalised; a 400 problem if it is not a usable key. */
    public static ParsedSshKey parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("the key text is empty");
        }
        if (!ArmouredBlock.looksArmoured(text)) {
            return OpenSshPublicKeys.parse(text);
        }
        List<ArmouredBlock> blocks = ArmouredBlock.parseAll(text).stream()
                // openssl ecparam -genkey writes the curve as a block of its own before the key
                .filter(block -> !block.label().equals("EC PARAMETERS"))
                .toList();
        if (blocks.size() != 1) {
            throw invalid("the text holds " + blocks.size() + " keys; store one key per entry");
        }
        ArmouredBlock block = blocks.getFirst();
        if (isEncryptedPem(block.headers())) {
            throw SshKeyProblems.encrypted();
        }
        return switch (block.label()) {
            case OpenSshPrivateKeys.LABEL -> OpenSshPrivateKeys.parse(block);
            case PemPrivateKeys.RSA_LABEL, PemPrivateKeys.EC_LABEL, PemPrivateKeys.PKCS8_LABEL ->
                PemPrivateKeys.parse(block);
            case "ENCRYPTED PRIVATE KEY" -> throw SshKeyProblems.encrypted();
            case "DSA PRIVATE KEY" ->
                throw invalid(
                        "DSA keys are not supported: OpenSSH turned them off; use " + SshKeyAlgorithm.supported());
            case "PUBLIC KEY", "RSA PUBLIC KEY" ->
                throw invalid("this is a PEM public key; send public keys as"
                        + " one OpenSSH line, converted with 'ssh-keygen -i -m PKCS8 -f <file>'");
            default ->
                throw invalid("'-----BEGIN " + block.label() + "-----' is not a key format the"
                        + " provisioner knows; send an OpenSSH public key line, an OpenSSH private key or an"
                        + " unencrypted PEM private key (RSA, EC or PKCS#8)");
        };
    }

    /**
     * Like {@link #parse}, and also checks the caller's {@code private} flag against the text: a
     * private key marked public would be served to anyone. A null flag is taken from the text.
     */
    public static ParsedSshKey parse(String text, Boolean declaredPrivate) {
        ParsedSshKey key = parse(text);
        if (declaredPrivate != null && declaredPrivate != key.isPrivate()) {
            throw declaredPrivate
                    ? ProblemException.invalid("'private' is true but the text is a public key; send the private"
                            + " key, or set 'private' to false")
                    : ProblemException.invalid("'private' is false but the text is a private key; set 'private'"
                            + " to true, so that the key is only ever served to operators");
        }
        return key;
    }

    private static boolean isEncryptedPem(Map<String, String> headers) {
        return headers.getOrDefault("Proc-Type", "").contains("ENCRYPTED") || headers.containsKey("DEK-Info");
    }
}
