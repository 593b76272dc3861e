package io.clusterplatform.provisioner.core.sshkeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.testing.OriginalSshKeys;
import io.clusterplatform.provisioner.core.testing.SshKeygen;
import io.clusterplatform.provisioner.core.testing.SshKeygen.KeyFiles;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshKeysTest {

    // --- the original API's keys ---

    @Test
    void readsOriginalPublicKeyAsItIs() {
        ParsedSshKey key = SshKeys.parse(OriginalSshKeys.PUBLIC_KEY, false);

        assertThat(key.format()).isEqualTo(SshKeyFormat.OPENSSH_PUBLIC);
        assertThat(key.isPrivate()).isFalse();
        assertThat(key.algorithm()).isEqualTo(SshKeyAlgorithm.ECDSA);
        assertThat(key.keyType()).isEqualTo("ecdsa-sha2-nistp256");
        assertThat(key.bits()).isEqualTo(256);
        assertThat(key.fingerprint()).isEqualTo(OriginalSshKeys.FINGERPRINT);
        assertThat(key.text()).isEqualTo(OriginalSshKeys.PUBLIC_KEY);
    }

    @Test
    void originalPrivateKeyIsRefusedBySshKeygenAsItIs() {
        // The reason for normalising: the original API's key lacks its base64 padding.
        assertThat(SshKeygen.publicKeyOf(OriginalSshKeys.PRIVATE_KEY).exitCode())
                .isNotZero();
    }

    @Test
    void normalisesOriginalPrivateKeySoThatSshKeygenReadsIt() {
        ParsedSshKey key = SshKeys.parse(OriginalSshKeys.PRIVATE_KEY, true);

        assertThat(key.format()).isEqualTo(SshKeyFormat.OPENSSH_PRIVATE);
        assertThat(key.algorithm()).isEqualTo(SshKeyAlgorithm.ECDSA);
        assertThat(key.text())
                .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
                .endsWith("bnRmeC14MjMwLWZlZG9yYQECAwQ=\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThat(key.text().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(70));
        assertThat(SshKeygen.publicKeyOf(key.text()).requireSuccess("-y").stdout())
                .isEqualTo(OriginalSshKeys.PUBLIC_KEY);
        assertThat(SshKeygen.fingerprint(key.text())).isEqualTo(OriginalSshKeys.FINGERPRINT);
    }

    @Test
    void originalPrivateKeyHasTheOriginalPublicKeyAsItsPublicHalf() {
        ParsedSshKey privateKey = SshKeys.parse(OriginalSshKeys.PRIVATE_KEY);

        assertThat(privateKey.fingerprint()).isEqualTo(OriginalSshKeys.FINGERPRINT);
        assertThat(OriginalSshKeys.PUBLIC_KEY).startsWith(privateKey.publicKey().strip() + " ");
    }

    // --- keys written by the real ssh-keygen, every algorithm and format ---

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "ed25519, 256, RFC4716, OPENSSH_PRIVATE",
        "ecdsa, 256, RFC4716, OPENSSH_PRIVATE",
        "ecdsa, 384, RFC4716, OPENSSH_PRIVATE",
        "ecdsa, 521, RFC4716, OPENSSH_PRIVATE",
        "rsa, 2048, RFC4716, OPENSSH_PRIVATE",
        "rsa, 2048, PEM, PEM_RSA",
        "ecdsa, 256, PEM, PEM_EC",
        "ecdsa, 384, PKCS8, PEM_PKCS8",
        "rsa, 2048, PKCS8, PEM_PKCS8",
    })
    void readsKeysWrittenBySshKeygen(String type, int bits, String sshKeygenFormat, SshKeyFormat format) {
        KeyFiles files =
                SshKeygen.generate(type, "someone@example", "", "-b", String.valueOf(bits), "-m", sshKeygenFormat);
        String expectedFingerprint = SshKeygen.fingerprint(files.publicKey());

        ParsedSshKey privateKey = SshKeys.parse(files.privateKey(), true);
        ParsedSshKey publicKey = SshKeys.parse(files.publicKey(), false);

        assertThat(privateKey.format()).isEqualTo(format);
        assertThat(privateKey.algorithm()).isEqualTo(SshKeyAlgorithm.parse(type));
        assertThat(privateKey.bits()).isEqualTo(bits);
        assertThat(privateKey.fingerprint()).isEqualTo(expectedFingerprint);
        assertThat(publicKey.fingerprint()).isEqualTo(expectedFingerprint);
        assertThat(publicKey.text()).isEqualTo(files.publicKey());
        assertThat(privateKey.publicKey()).isEqualTo(withoutComment(files.publicKey()));
        // ssh-keygen's own files are already normal: normalising changes nothing
        assertThat(privateKey.text()).isEqualTo(files.privateKey());
        assertThat(SshKeygen.publicKeyOf(privateKey.text()).requireSuccess("-y").stdout())
                .startsWith(withoutComment(files.publicKey()).strip());
    }

    @Test
    void rewrapsPemKeyWithOtherLineLengthsAndCrlf() {
        KeyFiles files = SshKeygen.generate("rsa", "c", "", "-b", "2048", "-m", "PEM");
        String body = files.privateKey()
                .lines()
                .filter(line -> !line.startsWith("-----"))
                .collect(Collectors.joining());
        String messy = "  -----BEGIN RSA PRIVATE KEY-----\r\n" + String.join("\r\n", chunks(body, 76))
                + "\r\n-----END RSA PRIVATE KEY-----";

        ParsedSshKey key = SshKeys.parse(messy);

        assertThat(key.text()).isEqualTo(files.privateKey());
        assertThat(key.text().lines().skip(1).findFirst().orElseThrow()).hasSize(64);
    }

    @Test
    void dropsEcParametersBlockWrittenByOpenssl() {
        KeyFiles files = SshKeygen.generate("ecdsa", "c", "", "-m", "PEM");
        String withParameters =
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + files.privateKey();

        ParsedSshKey key = SshKeys.parse(withParameters, true);

        assertThat(key.format()).isEqualTo(SshKeyFormat.PEM_EC);
        assertThat(key.text()).isEqualTo(files.privateKey());
    }

    @Test
    void storesEd25519Pkcs8KeyInOpenSshFormatBecauseOpenSshCannotReadIt() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";

        ParsedSshKey key = SshKeys.parse(pkcs8, true);

        assertThat(key.format()).isEqualTo(SshKeyFormat.PEM_PKCS8);
        assertThat(key.algorithm()).isEqualTo(SshKeyAlgorithm.ED25519);
        assertThat(key.text()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        assertThat(SshKeygen.publicKeyOf(key.text()).requireSuccess("-y").stdout())
                .isEqualTo(key.publicKey());
        assertThat(SshKeygen.fingerprint(key.text())).isEqualTo(key.fingerprint());
    }

    @Test
    void normalisesPublicKeyLineSpacingPaddingAndNewline() {
        String[] parts = OriginalSshKeys.PUBLIC_KEY.strip().split(" ");
        String messy = "\t" + parts[0] + "   " + parts[1].replace("=", "") + "  a comment  with spaces \r\n";

        ParsedSshKey key = SshKeys.parse(messy);

        assertThat(key.text()).isEqualTo(parts[0] + " " + parts[1] + " a comment  with spaces\n");
        assertThat(key.fingerprint()).isEqualTo(OriginalSshKeys.FINGERPRINT);
    }

    @Test
    void acceptsPublicKeyWithoutComment() {
        String bare = withoutComment(OriginalSshKeys.PUBLIC_KEY).strip();

        assertThat(SshKeys.parse(bare).text()).isEqualTo(bare + "\n");
    }

    // --- the private flag ---

    @Test
    void rejectsPublicKeyMarkedPrivate() {
        assertInvalid(
                () -> SshKeys.parse(OriginalSshKeys.PUBLIC_KEY, true),
                "'private' is true but the text is a public key");
    }

    @Test
    void rejectsPrivateKeyMarkedPublic() {
        assertInvalid(
                () -> SshKeys.parse(OriginalSshKeys.PRIVATE_KEY, false),
                "'private' is false but the text is a private key");
    }

    @Test
    void takesKindFromTextWhenFlagIsAbsent() {
        assertThat(SshKeys.parse(OriginalSshKeys.PRIVATE_KEY, null).isPrivate()).isTrue();
        assertThat(SshKeys.parse(OriginalSshKeys.PUBLIC_KEY, null).isPrivate()).isFalse();
    }

    // --- encrypted keys ---

    @ParameterizedTest(name = "{0}")
    @CsvSource({"RFC4716, OPENSSH PRIVATE KEY", "PEM, EC PRIVATE KEY", "PKCS8, ENCRYPTED PRIVATE KEY"})
    void rejectsEncryptedPrivateKey(String sshKeygenFormat, String label) {
        KeyFiles files = SshKeygen.generate("ecdsa", "c", "a passphrase", "-m", sshKeygenFormat);
        assertThat(files.privateKey()).startsWith("-----BEGIN " + label + "-----");

        assertInvalid(
                () -> SshKeys.parse(files.privateKey(), true),
                "the private key is encrypted with a passphrase",
                "ssh-keygen -p -N \"\" -f");
    }

    // --- invalid text ---

    @Test
    void rejectsEmptyText() {
        assertInvalid(() -> SshKeys.parse("  \n"), "the key text is empty");
        assertInvalid(() -> SshKeys.parse(null), "the key text is empty");
    }

    @Test
    void rejectsTextThatIsNoKey() {
        assertInvalid(() -> SshKeys.parse("hello world"), "'hello' is not a key type the provisioner knows");
    }

    @Test
    void rejectsPublicKeyWithoutKeyData() {
        assertInvalid(() -> SshKeys.parse("ssh-ed25519"), "the base64 key data after 'ssh-ed25519' is missing");
    }

    @Test
    void rejectsPublicKeyWithCharactersOutsideBase64() {
        assertInvalid(() -> SshKeys.parse("ssh-ed25519 AAAA-C3Nza"), "is not base64");
    }

    @Test
    void rejectsPublicKeyWhoseTypeDiffersFromItsData() {
        String data = OriginalSshKeys.PUBLIC_KEY.split(" ")[1];

        assertInvalid(
                () -> SshKeys.parse("ssh-rsa " + data),
                "the line says 'ssh-rsa' but its key data is a 'ecdsa-sha2-nistp256' key");
    }

    @Test
    void rejectsCutOffPublicKey() {
        String data = OriginalSshKeys.PUBLIC_KEY.split(" ")[1];

        assertInvalid(() -> SshKeys.parse("ecdsa-sha2-nistp256 " + data.substring(0, 60)), "invalid SSH key");
    }

    @Test
    void rejectsSeveralPublicKeysInOneEntry() {
        assertInvalid(
                () -> SshKeys.parse(OriginalSshKeys.PUBLIC_KEY + OriginalSshKeys.PUBLIC_KEY),
                "the text holds 2 lines",
                "store one key per entry");
    }

    @Test
    void rejectsAuthorizedKeysOptions() {
        assertInvalid(
                () -> SshKeys.parse("no-pty,command=\"true\" " + OriginalSshKeys.PUBLIC_KEY),
                "starts with authorized_keys options");
    }

    @Test
    void rejectsDsaKeys() {
        assertInvalid(() -> SshKeys.parse("ssh-dss AAAAB3NzaC1kc3M= x"), "DSA keys (ssh-dss) are not supported");
    }

    @Test
    void rejectsRsaKeysSmallerThanOpenSshAccepts() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(768);
        String line = PublicKeyEntry.toString(generator.generateKeyPair().getPublic());

        assertInvalid(() -> SshKeys.parse(line), "RSA keys must have 1024 to 16384 bits", "this one has 768");
    }

    @Test
    void rejectsPemPublicKey() {
        assertInvalid(
                () -> SshKeys.parse("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n"),
                "this is a PEM public key",
                "ssh-keygen -i -m PKCS8");
    }

    @Test
    void rejectsUnknownPemBlock() {
        assertInvalid(
                () -> SshKeys.parse("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
                "'-----BEGIN CERTIFICATE-----' is not a key format the provisioner knows");
    }

    @Test
    void rejectsPrivateKeyWithoutEndLine() {
        String cut = OriginalSshKeys.PRIVATE_KEY.replace("-----END OPENSSH PRIVATE KEY-----\n", "");

        assertInvalid(() -> SshKeys.parse(cut), "has no '-----END OPENSSH PRIVATE KEY-----' line");
    }

    @Test
    void rejectsPrivateKeyWithLinesMissing() {
        List<String> lines = OriginalSshKeys.PRIVATE_KEY.lines().toList();
        String cut = String.join("\n", lines.subList(0, 4)) + "\n" + lines.getLast() + "\n";

        ProblemException problem = assertInvalid(() -> SshKeys.parse(cut), "invalid SSH key");
        assertThat(problem.detail()).doesNotContain(lines.get(2));
    }

    @Test
    void rejectsTwoPrivateKeysInOneEntry() {
        assertInvalid(
                () -> SshKeys.parse(OriginalSshKeys.PRIVATE_KEY + OriginalSshKeys.PRIVATE_KEY),
                "the text holds 2 keys; store one key per entry");
    }

    @Test
    void rejectsTextAfterPrivateKey() {
        assertInvalid(
                () -> SshKeys.parse(OriginalSshKeys.PRIVATE_KEY + "trailing words"),
                "unexpected text after '-----END OPENSSH PRIVATE KEY-----'");
    }

    @Test
    void rejectsOpenSshPrivateKeyWithDamagedCheckNumbers() {
        byte[] data = decodedBody(SshKeys.parse(OriginalSshKeys.PRIVATE_KEY).text());
        data[offsetOfPrivateSection(data)]++;

        assertInvalid(() -> SshKeys.parse(armour("OPENSSH PRIVATE KEY", data)), "check numbers differ");
    }

    @Test
    void rejectsOpenSshPrivateKeyWhosePublicHalfBelongsToAnotherKey() {
        // Two P-256 keys have public blobs of the same length: put the other one's in the header.
        byte[] data = decodedBody(SshKeys.parse(OriginalSshKeys.PRIVATE_KEY).text());
        byte[] other = decodedBody(SshKeyPairs.generate(SshKeyAlgorithm.ECDSA).privateKey());
        int headerPublicKey = offsetOfPublicKey(data);
        assertThat(offsetOfPublicKey(other)).isEqualTo(headerPublicKey);
        System.arraycopy(other, headerPublicKey, data, headerPublicKey, 4 + 0x68);

        assertInvalid(
                () -> SshKeys.parse(armour("OPENSSH PRIVATE KEY", data)),
                "the private key does not match its public key");
    }

    @Test
    void rejectsPemDataThatIsNoKey() {
        assertInvalid(
                () -> SshKeys.parse("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
                "is not a valid PKCS#1 RSA private key");
    }

    @Test
    void rejectsBase64OfImpossibleLength() {
        assertInvalid(
                () -> SshKeys.parse("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"),
                "its base64 length is impossible");
    }

    @Test
    void rejectsPuttyKeys() {
        assertInvalid(
                () -> SshKeys.parse("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"),
                "PuTTY keys are not supported");
    }

    @Test
    void describesKeysWithoutTheirText() {
        ParsedSshKey key = SshKeys.parse(OriginalSshKeys.PRIVATE_KEY);

        assertThat(key.toString())
                .contains(OriginalSshKeys.FINGERPRINT)
                .doesNotContain("BEGIN")
                .doesNotContain("b3Bl");
    }

    // --- helpers ---

    private static ProblemException assertInvalid(ThrowingCallable call, String... fragments) {
        ProblemException[] caught = new ProblemException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.detail()).contains(fragments);
            caught[0] = problem;
        });
        return caught[0];
    }

    private static String withoutComment(String publicKeyLine) {
        String[] parts = publicKeyLine.strip().split(" ");
        return parts[0] + " " + parts[1] + "\n";
    }

    private static List<String> chunks(String text, int width) {
        return java.util.stream.IntStream.iterate(0, i -> i < text.length(), i -> i + width)
                .mapToObj(i -> text.substring(i, Math.min(text.length(), i + width)))
                .toList();
    }

    private static byte[] decodedBody(String armoured) {
        return Base64.getMimeDecoder()
                .decode(armoured.lines()
                        .filter(line -> !line.startsWith("-----"))
                        .collect(Collectors.joining()));
    }

    private static String armour(String label, byte[] data) {
        return ArmouredBlock.encode(label, data, 70);
    }

    /** Where the public key in the header of an OpenSSH private key starts (at its length). */
    private static int offsetOfPublicKey(byte[] data) {
        SshWireReader reader = new SshWireReader(data, "test");
        reader.skip(15); // "openssh-key-v1\0"
        reader.string(); // cipher
        reader.string(); // KDF
        reader.bytes(); // KDF options
        reader.uint32(); // number of keys
        return data.length - reader.remaining();
    }

    /** Where the private section (its first check number) of an OpenSSH private key starts. */
    private static int offsetOfPrivateSection(byte[] data) {
        SshWireReader reader = new SshWireReader(data, "test");
        reader.skip(offsetOfPublicKey(data));
        reader.bytes(); // public key
        reader.uint32(); // length of the private section
        return data.length - reader.remaining();
    }
}
