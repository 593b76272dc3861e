package io.clusterplatform.provisioner.core.sshkeys;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SSH key algorithms the provisioner stores and generates, named as in the original API's
 * {@code GET /api/sshkey?algorithm=ecdsa}. Generated keys use one fixed size per algorithm: ECDSA
 * on NIST P-256 ({@code ecdsa-sha2-nistp256}, the original API's example), Ed25519, and RSA with 3072 bits
 * (ssh-keygen's default since OpenSSH 8.8). Stored keys may also be ECDSA on P-384 or P-521 and RSA
 * of 1024 to 16384 bits, the sizes OpenSSH accepts.
 */
public enum SshKeyAlgorithm {
    ECDSA("ecdsa", "ecdsa-sha2-nistp256", 256),
    ED25519("ed25519", "ssh-ed25519", 256),
    RSA("rsa", "ssh-rsa", 3072);

    private final String id;
    private final String generatedKeyType;
    private final int generatedBits;

    SshKeyAlgorithm(String id, String generatedKeyType, int generatedBits) {
        this.id = id;
        this.generatedKeyType = generatedKeyType;
        this.generatedBits = generatedBits;
    }

    /** The name used in the API and stored with each key: {@code ecdsa}, {@code ed25519} or {@code rsa}. */
    public String id() {
        return id;
    }

    /** The OpenSSH key type of generated keys, e.g. {@code ecdsa-sha2-nistp256}. */
    public String generatedKeyType() {
        return generatedKeyType;
    }

    /** The size of generated keys in bits. */
    public int generatedBits() {
        return generatedBits;
    }

    /** {@code "ecdsa, ed25519, rsa"}: for messages that list what is supported. */
    public static String supported() {
        return Arrays.stream(values()).map(SshKeyAlgorithm::id).collect(Collectors.joining(", "));
    }

    /**
     * The algorithm named by an API parameter (case-insensitive); a 400 problem listing the supported
     * ones when it is unknown.
     */
    public static SshKeyAlgorithm parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (SshKeyAlgorithm algorithm : values()) {
            if (algorithm.id.equals(wanted)) {
                return algorithm;
            }
        }
        throw ProblemException.invalid(
                "unknown SSH key algorithm '" + name + "'; supported algorithms: " + supported());
    }

    /** The algorithm of an OpenSSH key type such as {@code ssh-ed25519} or {@code ecdsa-sha2-nistp384}. */
    public static Optional<SshKeyAlgorithm> ofKeyType(String keyType) {
        return switch (keyType) {
            case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> Optional.of(ECDSA);
            case "ssh-ed25519" -> Optional.of(ED25519);
            case "ssh-rsa" -> Optional.of(RSA);
            default -> Optional.empty();
        };
    }
}
