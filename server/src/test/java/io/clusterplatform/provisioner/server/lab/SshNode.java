package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A node of a {@link PxeSite} without booting a VM: Debian's dropbear in a namespace of its own on the
 * LAN, letting in root with the site's key (the public half of {@link PxeSite#storeKeyPair()}), and
 * registered as a localnode. {@code ip netns exec} gives it a mount namespace of its own, where its
 * /root is a directory of the lab and /var/lib, /var/log and /run/wireguard are empty tmpfs, so what a
 * script run writes there (an agent's state, a log, wireguard-go's control socket) never touches this
 * machine's own, and is gone with the namespace.
 *
 * @param ip its address on the LAN
 * @param id its localnode id
 */
record SshNode(String namespace, String ip, long id) {

    /** Starts the node at {@code <subnet>.<octet>} and registers it as {@code hostname}. */
    static SshNode start(PxeSite site, String hostname, int octet) {
        try {
            return startNode(site, hostname, octet);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SshNode startNode(PxeSite site, String hostname, int octet) throws IOException {
        long publicKeyId = site.storeKeyPair();
        String publicKey = site.api().get("/api/sshkeys/" + publicKeyId).body();
        Path dir = site.lab.directory().resolve("ssh-" + hostname);
        Path home = dir.resolve("root");
        Files.createDirectories(home.resolve(".ssh"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(home.resolve(".ssh"), PosixFilePermissions.fromString("rwx------"));
        Path authorized = home.resolve(".ssh/authorized_keys");
        Files.writeString(authorized, publicKey.strip() + "\n");
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        Path hostKey = dir.resolve("hostkey");
        Shell.Result key = Shell.run(
                List.of("/usr/bin/dropbearkey", "-t", "ed25519", "-f", hostKey.toString()), Timeouts.process());
        assertThat(key.exitCode()).as(key.stdout() + key.stderr()).isZero();
        Files.createDirectories(Path.of("/run/wireguard"));

        String namespace = site.lab.addNamespace(hostname, octet);
        Lab.Daemon dropbear = site.lab.startProcess(
                namespace,
                "dropbear-" + hostname,
                List.of(
                        "sh",
                        "-c",
                        "mount --bind \"$1\" /root && mount -t tmpfs node-var-lib /var/lib"
                                + " && mount -t tmpfs node-var-log /var/log"
                                + " && mount -t tmpfs node-wireguard /run/wireguard"
                                + " && exec /usr/sbin/dropbear -F -E -s -p 22 -r \"$2\" -P \"$3\"",
                        hostname,
                        home.toString(),
                        hostKey.toString(),
                        dir.resolve("dropbear.pid").toString()));
        Awaitility.await("dropbear to listen in " + namespace)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!dropbear.isAlive()) {
                        throw new AssertionError("dropbear exited: " + dropbear.output());
                    }
                    return dropbear.output().contains("Not backgrounding");
                });
        String ip = site.lab.subnet() + "." + octet;
        Api.Response node = site.api()
                .post("/api/localnodes?ip=" + ip + "&artifactId=" + PxeSite.ARTIFACT_ID + "&pingable=true&hostname="
                        + hostname);
        assertThat(node.status()).as(node.toString()).isEqualTo(201);
        return new SshNode(namespace, ip, node.json().get("id").asLong());
    }
}
