package io.clusterplatform.provisioner.server.lab.storm;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The storm's TFTP client against dnsmasq's TFTP server, in a lab (needs root, as the lab does). */
class TftpClientTest {
    @Test
    void readsFilesWholeWithTheBlockSizeFirmwareAsksForAndReportsAMissingOne() throws Exception {
        try (Lab lab = Lab.start()) {
            Path tftp = lab.directory().resolve("tftp");
            Files.createDirectories(tftp.resolve("uefi"));
            Random random = new Random(12);
            byte[] odd = new byte[1_000_003];
            byte[] whole = new byte[1468 * 40]; // ends with an empty DATA block
            random.nextBytes(odd);
            random.nextBytes(whole);
            Files.write(tftp.resolve("uefi/odd.efi"), odd);
            Files.write(tftp.resolve("whole.bin"), whole);
            ReferenceDnsmasq.start(
                    lab,
                    lab.distributorNamespace(),
                    "tftp",
                    lab.directory(),
                    ReferenceDnsmasq.config("eth0", lab.routerAddress(), tftp, "x.kpxe", "uefi/odd.efi", null));
            String hosts = StormLab.addHostsNamespace(lab);
            String ip = lab.subnet() + ".3";
            String server = lab.distributorAddress();

            Shell.Result first = StormLab.hosts(lab, hosts, "tftp", ip, server, "uefi/odd.efi", "1468");
            Shell.Result second = StormLab.hosts(lab, hosts, "tftp", ip, server, "whole.bin", "1468");
            Shell.Result missing = StormLab.hosts(lab, hosts, "tftp", ip, server, "nothing.efi", "1468");

            assertThat(first.stdout())
                    .as(first.toString())
                    .contains("TFTP bytes=1000003 sha256=" + sha256(odd) + " blksize=1468 retries=0");
            assertThat(second.stdout())
                    .as(second.toString())
                    .contains("TFTP bytes=" + whole.length + " sha256=" + sha256(whole));
            assertThat(missing.exitCode()).isNotZero();
            assertThat(missing.stderr()).contains("error 1").contains("not found");
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
