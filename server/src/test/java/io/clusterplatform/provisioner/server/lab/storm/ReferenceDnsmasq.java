package io.clusterplatform.provisioner.server.lab.storm;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * dnsmasq in proxyDHCP + TFTP mode with a configuration written by hand, not by our distributor: the
 * reference a boot storm's distributor is measured against, and what the storm clients' own tests run
 * against. The lines are the ones a PXE site would write from dnsmasq's manual (proxy range, TFTP root,
 * one {@code pxe-service} per architecture for firmware and one for iPXE, iPXE told apart by its user
 * class and option 175); limits such as {@code tftp-max} are left at dnsmasq's defaults, as our
 * distributor leaves them.
 */
public final class ReferenceDnsmasq {
    private ReferenceDnsmasq() {}

    /**
     * The configuration: proxyDHCP on {@code device} for {@code range} (an address of its subnet), TFTP
     * from {@code tftpRoot} with {@code biosFile} and {@code efiFile} (paths inside it) for firmware,
     * {@code scriptUrl} for iPXE; {@code scriptUrl} null: iPXE clients get no service.
     */
    public static String config(
            String device, String range, Path tftpRoot, String biosFile, String efiFile, String scriptUrl) {
        StringBuilder c = new StringBuilder();
        c.append("port=0\n");
        c.append("interface=").append(device).append('\n');
        c.append("bind-interfaces\n");
        c.append("dhcp-range=").append(range).append(",proxy\n");
        c.append("log-dhcp\n");
        c.append("enable-tftp\n");
        c.append("tftp-root=").append(tftpRoot).append('\n');
        c.append("dhcp-userclass=set:ipxe,iPXE\n");
        c.append("dhcp-match=set:ipxe,175\n");
        c.append("pxe-prompt=\"PXE\",0\n");
        c.append("pxe-service=tag:!ipxe,x86PC,\"iPXE\",").append(biosFile).append('\n');
        c.append("pxe-service=tag:!ipxe,X86-64_EFI,\"iPXE\",").append(efiFile).append('\n');
        c.append("pxe-service=tag:!ipxe,BC_EFI,\"iPXE\",").append(efiFile).append('\n');
        if (scriptUrl != null) {
            for (String type : List.of("x86PC", "X86-64_EFI", "BC_EFI")) {
                c.append("pxe-service=tag:ipxe,")
                        .append(type)
                        .append(",\"script\",")
                        .append(scriptUrl)
                        .append('\n');
            }
        }
        return c.toString();
    }

    /**
     * Writes {@code config} to {@code <dir>/<name>.conf} and runs dnsmasq with it in {@code namespace}
     * (in the foreground, logging to the daemon's log), until it says its TFTP root, its last start line.
     */
    public static Lab.Daemon start(Lab lab, String namespace, String name, Path dir, String config) {
        Path file = dir.resolve(name + ".conf");
        try {
            Files.writeString(file, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Lab.Daemon dnsmasq = lab.startProcess(
                namespace,
                name,
                List.of(
                        "/usr/sbin/dnsmasq",
                        "--keep-in-foreground",
                        "--conf-file=" + file,
                        "--log-facility=-",
                        "--pid-file=" + dir.resolve(name + ".pid")));
        Awaitility.await(name + " (dnsmasq) to start")
                .atMost(Timeouts.scaled(Duration.ofSeconds(30)))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!dnsmasq.isAlive()) {
                        throw new AssertionError(name + " exited: " + dnsmasq.output());
                    }
                    return dnsmasq.output().contains("TFTP root is");
                });
        return dnsmasq;
    }
}
