package io.clusterplatform.provisioner.core.kickstarts;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.kickstarts.KickstartPasswords.UnplaceablePassword;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;

class KickstartPasswordsTest {

    private static String cryptOf(String hidden, String linePrefix) {
        return hidden.lines().filter(l -> l.startsWith(linePrefix)).findFirst().orElseThrow();
    }

    @Test
    void hashesTheOriginalsPlaintextRootPassword() {
        String kickstart = "keyboard us\n# Root password\nrootpw --plaintext asdfasdf123$$44\nlang en_US\n";
        String hidden = KickstartPasswords.hidePlaintextPasswords(kickstart);
        assertThat(hidden)
                .doesNotContain("asdfasdf123")
                .startsWith("keyboard us\n# Root password\n")
                .endsWith("\nlang en_US\n");
        String line = cryptOf(hidden, "rootpw");
        assertThat(line).matches("rootpw --iscrypted \\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}");
        String crypt = line.substring("rootpw --iscrypted ".length());
        // The hash verifies the original password, so the installed system gets the same password.
        assertThat(Sha2Crypt.sha512Crypt("asdfasdf123$$44".getBytes(), crypt)).isEqualTo(crypt);
        assertThat(KickstartPasswords.hasPlaintextPassword(kickstart)).isTrue();
    }

    @Test
    void rootpwWithoutOptionsIsPlaintextToo() {
        String hidden = KickstartPasswords.hidePlaintextPasswords("rootpw hunter2\n");
        assertThat(hidden).doesNotContain("hunter2").startsWith("rootpw --iscrypted $6$");
    }

    @Test
    void keepsOtherRootpwOptions() {
        String hidden = KickstartPasswords.hidePlaintextPasswords("rootpw --allow-ssh --plaintext pw\n");
        assertThat(hidden).startsWith("rootpw --iscrypted --allow-ssh $6$").doesNotContain(" pw\n");
    }

    @Test
    void leavesCryptedAndLockedPasswordsAlone() {
        String crypted = "rootpw --iscrypted $6$abc$def\nrootpw --lock\n";
        assertThat(KickstartPasswords.hidePlaintextPasswords(crypted)).isEqualTo(crypted);
        assertThat(KickstartPasswords.hasPlaintextPassword(crypted)).isFalse();
    }

    @Test
    void hashesUserPasswords() {
        String hidden = KickstartPasswords.hidePlaintextPasswords(
                "user --name=ops --password=\"open sesame\" --plaintext --groups=wheel\n");
        assertThat(hidden)
                .doesNotContain("open sesame")
                .doesNotContain("--plaintext")
                .startsWith("user --name=ops --password=$6$")
                .contains("--iscrypted --groups=wheel");
    }

    @Test
    void textWithoutPasswordsIsUnchanged() {
        String script = "%pre\ncurl http://x/api/prebootscripts/1 | bash\n%end\n";
        assertThat(KickstartPasswords.hidePlaintextPasswords(script)).isEqualTo(script);
    }

    private static final String CRYPT = "\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}";

    private static void assertCryptOf(String password, String crypt) {
        assertThat(Sha2Crypt.sha512Crypt(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), crypt))
                .isEqualTo(crypt);
    }

    @Test
    void quotedRootPasswordWithSpacesIsHashedWholeAndLeavesNoWordBehind() {
        String hidden = KickstartPasswords.hidePlaintextPasswords("rootpw --plaintext \"two words\"\n");
        assertThat(hidden)
                .matches("rootpw --iscrypted " + CRYPT + "\n")
                .doesNotContain("two")
                .doesNotContain("words");
        assertCryptOf(
                "two words", hidden.substring("rootpw --iscrypted ".length()).strip());
    }

    @Test
    void singleQuotesAndBackslashesAreReadAsPykickstartReadsThem() {
        String single = KickstartPasswords.hidePlaintextPasswords("rootpw 'it''s a \"pw\"'\n");
        assertCryptOf(
                "its a \"pw\"", single.substring("rootpw --iscrypted ".length()).strip());
        String escaped = KickstartPasswords.hidePlaintextPasswords("rootpw a\\ b\\#c\n");
        assertCryptOf("a b#c", escaped.substring("rootpw --iscrypted ".length()).strip());
        String inDoubleQuotes = KickstartPasswords.hidePlaintextPasswords("rootpw \"x\\\"y\\\\z\\n\"\n");
        assertCryptOf(
                "x\"y\\z\\n",
                inDoubleQuotes.substring("rootpw --iscrypted ".length()).strip());
    }

    @Test
    void aHashOutsideQuotesStartsACommentAndARewrittenLineDropsIt() {
        // "#tail" may be the rest of what the operator meant as the password: it is not served
        String hidden = KickstartPasswords.hidePlaintextPasswords("rootpw secret#tail  # the root password\n");
        assertThat(hidden).doesNotContain("secret").doesNotContain("tail").endsWith("\n");
        String crypt = hidden.substring("rootpw --iscrypted ".length(), hidden.length() - 1);
        assertCryptOf("secret", crypt);
    }

    @Test
    void sshpwPlaintextIsHashedAndItsUsernameKept() {
        String hidden = KickstartPasswords.hidePlaintextPasswords("sshpw --username=install --plaintext S3CRET\n");
        assertThat(hidden).doesNotContain("S3CRET").matches("sshpw --iscrypted --username=install " + CRYPT + "\n");
        String separate = KickstartPasswords.hidePlaintextPasswords("sshpw --username install S3CRET --lock\n");
        assertThat(separate)
                .doesNotContain("S3CRET")
                .matches("sshpw --iscrypted --username install --lock " + CRYPT + "\n");
    }

    @Test
    void sshpwWithAnSshKeyAndCryptedPasswordsAreKept() {
        String text = "sshpw --username=install --sshkey \"ssh-ed25519 AAAAC3Nz me@host\"\n"
                + "sshpw --username=b --iscrypted $6$abc$def\n"
                + "rootpw --plaintext --iscrypted $6$x$y\n";
        assertThat(KickstartPasswords.hidePlaintextPasswords(text)).isEqualTo(text);
    }

    @Test
    void theLastOfPlaintextAndIscryptedWins() {
        String hidden = KickstartPasswords.hidePlaintextPasswords("rootpw --iscrypted --plaintext pw123\n");
        assertThat(hidden).doesNotContain("pw123").matches("rootpw --iscrypted " + CRYPT + "\n");
    }

    @Test
    void userPasswordAsASeparateWordIsHashedAndMarkedCrypted() {
        String hidden =
                KickstartPasswords.hidePlaintextPasswords("user --name=ops --password 'pa ss' --groups=wheel\n");
        assertThat(hidden).doesNotContain("pa ss");
        Matcher m = Pattern.compile("user --name=ops --password=(" + CRYPT + ") --iscrypted --groups=wheel\n")
                .matcher(hidden);
        assertThat(m.matches()).as(hidden).isTrue();
        assertCryptOf("pa ss", m.group(1));
    }

    @Test
    void bootloaderPasswordBecomesAGrubPbkdf2Hash() {
        String hidden = KickstartPasswords.hidePlaintextPasswords(
                "bootloader --location=mbr --password=grubS3cret --append=\"quiet\"\n");
        assertThat(hidden)
                .doesNotContain("grubS3cret")
                .matches(
                        "bootloader --location=mbr --iscrypted --password=grub\\.pbkdf2\\.sha512\\.10000\\.[0-9A-F]{128}"
                                + "\\.[0-9A-F]{128} --append=\"quiet\"\n");
        String separate = KickstartPasswords.hidePlaintextPasswords("bootloader --password \"a b\"\n");
        assertThat(separate)
                .doesNotContain("a b")
                .startsWith("bootloader --iscrypted --password=grub.pbkdf2.sha512.10000.");
    }

    @Test
    void grubHashIsPbkdf2HmacSha512AsGrubComputesIt() {
        byte[] salt = new byte[64];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) i;
        }
        // Computed independently with Python's hashlib.pbkdf2_hmac("sha512", b"grub secret", salt, 10000, 64).
        assertThat(KickstartPasswords.grubPbkdf2("grub secret", salt))
                .isEqualTo("grub.pbkdf2.sha512.10000."
                        + java.util.HexFormat.of().withUpperCase().formatHex(salt) + "."
                        + "C411A9F128103AE310339AC10F4350C9D82C9697232CDB059C7C8FB310C76885"
                        + "E429715CFF5414F7A4D6777B91636C48B4A06A54D6F7913616C296DB304C65A8");
    }

    @Test
    void cryptedAndMd5BootloaderPasswordsAreKept() {
        String text = "bootloader --iscrypted --password=grub.pbkdf2.sha512.10000.AB.CD\nbootloader --md5pass=$1$x$y\n";
        assertThat(KickstartPasswords.hidePlaintextPasswords(text)).isEqualTo(text);
    }

    @Test
    void linesInsideSectionsAreScriptsAndAreLeftAlone() {
        String text = "%post --log=/root/post.log\nrootpw \"unclosed\necho done\n%end\n%packages\nuser\n%end\n";
        assertThat(KickstartPasswords.hidePlaintextPasswords(text)).isEqualTo(text);
        assertThat(KickstartPasswords.unplaceablePasswords(text)).isEmpty();
        String after = KickstartPasswords.hidePlaintextPasswords("%pre\n%end\nrootpw afterwards\n");
        assertThat(after).doesNotContain("afterwards");
    }

    @Test
    void crlfLineEndingsAreKept() {
        String hidden = KickstartPasswords.hidePlaintextPasswords("lang en_US\r\nrootpw pw\r\nkeyboard us\r\n");
        assertThat(hidden)
                .startsWith("lang en_US\r\nrootpw --iscrypted $6$")
                .endsWith("\r\nkeyboard us\r\n")
                .doesNotContain(" pw");
    }

    @Test
    void passwordsThatCannotBePlacedAreNamedByLine() {
        String text = "lang en_US\n"
                + "rootpw --plaintext alpha bravo\n"
                + "sshpw --username=a \"charlie\n"
                + "user --name=b --password\n"
                + "bootloader --password=\n"
                + "rootpw --plaintext -dash\n"
                + "rootpw trailing\\";
        assertThat(KickstartPasswords.unplaceablePasswords(text))
                .extracting(UnplaceablePassword::line, UnplaceablePassword::command)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, "rootpw"),
                        org.assertj.core.groups.Tuple.tuple(3, "sshpw"),
                        org.assertj.core.groups.Tuple.tuple(4, "user"),
                        org.assertj.core.groups.Tuple.tuple(5, "bootloader"),
                        org.assertj.core.groups.Tuple.tuple(6, "rootpw"),
                        org.assertj.core.groups.Tuple.tuple(7, "rootpw"));
        assertThat(KickstartPasswords.unplaceablePasswords(text).getFirst().describe())
                .isEqualTo("line 2 (rootpw): 2 words where one password belongs (quote a password with spaces)");
        assertThat(KickstartPasswords.unplaceablePasswords(text).get(4).describe())
                .isEqualTo("line 6 (rootpw): word 3 starts with '-' but is no option of rootpw (a password cannot start"
                        + " with '-')");
        // Served anyway (stored before the check): such lines are removed, never served in part.
        String hidden = KickstartPasswords.hidePlaintextPasswords(text);
        assertThat(hidden)
                .doesNotContain("alpha")
                .doesNotContain("bravo")
                .doesNotContain("charlie")
                .doesNotContain("dash")
                .doesNotContain("trailing")
                .startsWith("lang en_US\n# (rootpw line removed: ");
    }

    @Test
    void requirePlaceablePasswordsRefusesWithTheLine() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> KickstartPasswords.requirePlaceablePasswords("text", "rootpw a b\n"))
                .isInstanceOf(io.clusterplatform.provisioner.core.problems.ProblemException.class)
                .hasMessageContaining("line 1 (rootpw): 2 words");
        KickstartPasswords.requirePlaceablePasswords("text", "rootpw --plaintext \"a b\"\nrootpw --lock\n");
    }

    /** What a review found pykickstart reads as a password while this parser did not (each served verbatim before). */
    @Test
    void passwordsHiddenTheWaysPykickstartStillFindsThemAreHiddenOrRefused() {
        for (String kickstart : new String[] {
            "lang en_US\rrootpw hunter2\n", "# note\u2028rootpw hunter2\n", "lang en_US\u000brootpw hunter2\n"
        }) {
            assertThat(KickstartPasswords.hidePlaintextPasswords(kickstart))
                    .as(kickstart)
                    .doesNotContain("hunter2");
        }
        for (String line :
                new String[] {"\"rootpw\" hunter2\n", "root\\pw hunter2\n", "'user' --name=a --password=hunter2\n"}) {
            assertThat(KickstartPasswords.hidePlaintextPasswords(line)).as(line).doesNotContain("hunter2");
        }
        for (String line : new String[] {
            "user --name=a --pass=hunter2\n", "bootloader --passw hunter2\n", "rootpw --iscrypted --plain hunter2\n"
        }) {
            assertThat(KickstartPasswords.unplaceablePasswords(line)).as(line).isNotEmpty();
            assertThat(KickstartPasswords.hidePlaintextPasswords(line)).as(line).doesNotContain("hunter2");
        }
        String served = KickstartPasswords.hidePlaintextPasswords("rootpw Ab#cd!\nrootpw pw # old: oldpw\n");
        assertThat(served).doesNotContain("#cd!").doesNotContain("oldpw");
        assertThat(served.lines()).allMatch(l -> l.matches("rootpw --iscrypted \\$6\\$\\S+"));
    }
}
