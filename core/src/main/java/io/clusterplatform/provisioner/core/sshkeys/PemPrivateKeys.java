package io.clusterplatform.provisioner.core.sshkeys;

import static io.clusterplatform.provisioner.core.sshkeys.SshKeyProblems.invalid;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Reads unencrypted PEM private keys with BouncyCastle: {@code RSA PRIVATE KEY} (PKCS#1),
 * {@code EC PRIVATE KEY} (SEC1) and {@code PRIVATE KEY} (PKCS#8 holding RSA, EC or Ed25519). The
 * public half is computed from the private key, so it is right even when the file does not carry it.
 * Ed25519 keys in PKCS#8, which OpenSSH cannot read, are rewritten as OpenSSH private keys.
 */
final class PemPrivateKeys {
    static final String RSA_LABEL = "RSA PRIVATE KEY";
    static final String EC_LABEL = "EC PRIVATE KEY";
    static final String PKCS8_LABEL = "PRIVATE KEY";
    /** PEM (RFC 7468) lines hold 64 base64 characters. */
    static final int LINE_WIDTH = 64;

    private static final Set<ASN1ObjectIdentifier> SSH_CURVES =
            Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);

    private PemPrivateKeys() {}

    static ParsedSshKey parse(ArmouredBlock block) {
        return switch (block.label()) {
            case RSA_LABEL -> read(block, SshKeyFormat.PEM_RSA, pkcs1(block.data()), null);
            case EC_LABEL -> {
                ECPrivateKey sec1 = sec1(block.data());
                yield read(block, SshKeyFormat.PEM_EC, asPkcs8(sec1), sec1.getPublicKey());
            }
            case PKCS8_LABEL -> read(block, SshKeyFormat.PEM_PKCS8, pkcs8(block.data()), null);
            default -> throw new IllegalArgumentException("not a PEM private key label: " + block.label());
        };
    }

    private static ParsedSshKey read(
            ArmouredBlock block, SshKeyFormat format, PrivateKeyInfo info, ASN1BitString embeddedPublic) {
        AsymmetricKeyParameter privateKey;
        try {
            privateKey = PrivateKeyFactory.createKey(info);
        } catch (Exception e) {
            throw unsupportedPkcs8(info);
        }
        AsymmetricKeyParameter publicKey = switch (privateKey) {
            case RSAPrivateCrtKeyParameters rsa ->
                new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
            case ECPrivateKeyParameters ec -> {
                requireSshCurve(info);
                ECPublicKeyParameters q = new ECPublicKeyParameters(
                        ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters());
                if (embeddedPublic != null
                        && !Arrays.equals(embeddedPublic.getBytes(), q.getQ().getEncoded(false))) {
                    throw invalid("the public key stored in the EC private key does not match it; the key is damaged");
                }
                yield q;
            }
            case Ed25519PrivateKeyParameters ed -> ed.generatePublicKey();
            case RSAKeyParameters rsa ->
                throw invalid("the RSA private key lacks its public exponent, so its public key cannot be derived");
            default -> throw unsupportedPkcs8(info);
        };
        KeyPair pair = toJca(info, publicKey);
        KeyPairCheck.requireMatching(pair);
        PublicKeyFacts facts = PublicKeyFacts.of(pair.getPublic());
        // OpenSSH (9.2 at least) cannot read Ed25519 keys in PKCS#8, so those are stored in its own format.
        String text = facts.algorithm() == SshKeyAlgorithm.ED25519
                ? OpenSshPrivateKeys.write(pair)
                : block.encode(LINE_WIDTH);
        return new ParsedSshKey(
                format, facts.algorithm(), facts.keyType(), facts.bits(), facts.fingerprint(), facts.line(), text);
    }

    private static PrivateKeyInfo pkcs1(byte[] der) {
        try {
            RSAPrivateKey rsa = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
            return new PrivateKeyInfo(
                    new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa);
        } catch (Exception e) {
            throw notValid(RSA_LABEL, "PKCS#1 RSA private key");
        }
    }

    private static ECPrivateKey sec1(byte[] der) {
        try {
            return ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (Exception e) {
            throw notValid(EC_LABEL, "SEC1 EC private key");
        }
    }

    private static PrivateKeyInfo asPkcs8(ECPrivateKey sec1) {
        if (sec1.getParametersObject() == null) {
            throw invalid("the EC private key does not name its curve; SSH needs NIST P-256, P-384 or P-521");
        }
        try {
            return new PrivateKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, sec1.getParametersObject()), sec1);
        } catch (Exception e) {
            throw notValid(EC_LABEL, "SEC1 EC private key");
        }
    }

    private static PrivateKeyInfo pkcs8(byte[] der) {
        try {
            return PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (Exception e) {
            throw notValid(PKCS8_LABEL, "PKCS#8 private key");
        }
    }

    private static void requireSshCurve(PrivateKeyInfo info) {
        if (!(info.getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)
                || !SSH_CURVES.contains(curve)) {
            throw invalid("the EC key is not on a curve SSH supports; use NIST P-256, P-384 or P-521");
        }
    }

    private static KeyPair toJca(PrivateKeyInfo info, AsymmetricKeyParameter publicKey) {
        try {
            String algorithm = switch (publicKey) {
                case RSAKeyParameters rsa -> "RSA";
                case ECPublicKeyParameters ec -> "EC";
                default -> "Ed25519";
            };
            KeyFactory factory = KeyFactory.getInstance(algorithm, KeyPairCheck.BOUNCY_CASTLE);
            byte[] publicInfo = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey)
                    .getEncoded();
            return new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(publicInfo)),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded())));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw invalid("the private key could not be read: " + e.getMessage());
        }
    }

    private static RuntimeException unsupportedPkcs8(PrivateKeyInfo info) {
        return invalid("the PEM private key is of a kind SSH cannot use (algorithm "
                + info.getPrivateKeyAlgorithm().getAlgorithm().getId() + "); supported algorithms: "
                + SshKeyAlgorithm.supported());
    }

    private static RuntimeException notValid(String label, String what) {
        return invalid("the data inside '-----BEGIN " + label + "-----' is not a valid " + what
                + "; it is damaged or cut off");
    }
}
