package io.clusterplatform.provisioner.distributor.mesh;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;
import javax.crypto.KeyAgreement;

/**
 * WireGuard key pairs made with the JDK's X25519: raw 32-byte keys in base64, exactly as {@code wg
 * genkey} and {@code wg pubkey} print them. The private key never leaves the host.
 */
final class X25519Keys {
    static final String PRIVATE_KEY_FILE = "private.key";

    private X25519Keys() {}

    /** The private key in {@code dir/private.key} (0600), made on first use. */
    static String privateKey(Path dir) throws IOException {
        Path file = dir.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        String key = generatePrivateKey();
        Path tmp = dir.resolve(PRIVATE_KEY_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, key + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return key;
    }

    static String generatePrivateKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
            XECPrivateKey key = (XECPrivateKey) generator.generateKeyPair().getPrivate();
            byte[] scalar = key.getScalar().orElseThrow();
            // Clamped the way wg genkey does; X25519 clamps anyway, so the public key is the same.
            scalar[0] &= (byte) 248;
            scalar[31] &= 127;
            scalar[31] |= 64;
            return Base64.getEncoder().encodeToString(scalar);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no X25519: " + e.getMessage(), e);
        }
    }

    /** The public key of a base64 private key, as {@code wg pubkey} computes it: X25519(k, 9). */
    static String publicKey(String privateKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("X25519");
            PrivateKey key = factory.generatePrivate(new XECPrivateKeySpec(
                    NamedParameterSpec.X25519, Base64.getDecoder().decode(privateKey)));
            PublicKey basePoint =
                    factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(key);
            agreement.doPhase(basePoint, true);
            // The shared secret with the base point is the public key's u-coordinate, little-endian.
            return Base64.getEncoder().encodeToString(agreement.generateSecret());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a WireGuard private key: " + e.getMessage(), e);
        }
    }
}
