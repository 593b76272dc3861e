package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Signature;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Proves that a private key belongs to its public half by signing a probe and verifying the
 * signature. A key that fails would be accepted here and then fail every SSH login, so it is refused
 * up front.
 */
final class KeyPairCheck {
    /** Used directly, never registered with {@link java.security.Security}: core changes no global state. */
    static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private static final byte[] PROBE = "cluster platform provisioner key check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairCheck() {}

    static void requireMatching(KeyPair pair) {
        String algorithm = switch (pair.getPrivate().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw PublicKeyFacts.unsupported(pair.getPrivate().getAlgorithm());
        };
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm, BOUNCY_CASTLE);
            signer.initSign(pair.getPrivate());
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, BOUNCY_CASTLE);
            verifier.initVerify(pair.getPublic());
            verifier.update(PROBE);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            matches = false;
        }
        if (!matches) {
            throw invalid("the private key does not match its public key; the key is damaged");
        }
    }
}
