package io.clusterplatform.provisioner.core.kickstarts;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.Test;

class KickstartPasswordsTest {

    private static String cryptOf(String hidden, String linePrefix) {
        return hidden.lines().filter(l -> l.startsWith(linePrefix)).findFirst().orElseThrow();
    }

    @Test
    void hashesTheSeedsPlaintextRootPassword() {
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
}
