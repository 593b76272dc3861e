package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.MeshAgents;
import io.clusterplatform.provisioner.server.testing.Shell;
import java.util.List;

/**
 * Sites behind NAT on a {@link Lab}: each a router namespace on the lab's LAN (its "internet"
 * address), masquerading with nftables and dropping unsolicited inbound traffic, and a host namespace
 * behind it, for MeshNatLabTest and MeshNatBenchmark.
 */
final class NatSites {
    static final int WG_PORT = 51820;

    /**
     * One site.
     *
     * @param randomPorts masquerade with fully random ports (a symmetric NAT), else port-keeping
     * @param key the private key file of a WireGuard interface set up by hand, or null
     * @param publicKey its public key (by hand, or as the agent's node has it), or null
     * @param overlay its overlay address when set up by hand, or null
     * @param publicIp the router's address on the LAN: where the site's datagrams come from
     */
    record Site(
            String name,
            boolean randomPorts,
            String nat,
            String host,
            String ifname,
            String key,
            String publicKey,
            String overlay,
            String publicIp) {

        Site withKey(String otherPublicKey) {
            return new Site(name, randomPorts, nat, host, ifname, key, otherPublicKey, overlay, publicIp);
        }

        /** Where its NAT maps the WireGuard port when it keeps the port. */
        String mapping() {
            return publicIp + ":" + WG_PORT;
        }
    }

    private NatSites() {}

    /**
     * Site {@code name}: the router at {@code <subnet>.<octet>} and a host behind it on
     * 10.216.{index}.0/24; with {@code overlayPrefix}, also wireguard-go on the host with a key of its
     * own and the overlay address {@code <prefix><index>} (else an agent makes the interface).
     */
    static Site add(Lab lab, String name, boolean randomPorts, int octet, int index, String overlayPrefix) {
        String nat = lab.addNamespace("nat" + name, octet);
        String host = lab.addNamespace("host" + name, 60 + octet);
        String inside = "10.216." + index;
        // The host leaves the LAN: its only way out is through its site's router.
        sh(lab, host, "ip link del eth0");
        sh(
                lab,
                nat,
                "ip link add in0 type veth peer name eth0 netns " + host
                        + " && ip addr add " + inside + ".1/24 dev in0 && ip link set in0 up"
                        + " && sysctl -q -w net.ipv4.ip_forward=1");
        sh(
                lab,
                host,
                "ip addr add " + inside + ".2/24 dev eth0 && ip link set eth0 up && ip route add default via " + inside
                        + ".1");
        sh(
                lab,
                nat,
                "nft -f - <<'EOF'\n"
                        + "table ip nat {\n"
                        + "  chain post { type nat hook postrouting priority 100; oifname \"eth0\" masquerade"
                        + (randomPorts ? " fully-random" : "") + "; }\n"
                        + "}\n"
                        + "table ip filter {\n"
                        // Dropped before conntrack confirms it, an unsolicited datagram leaves no entry that
                        // would take the port the host's own flow is to keep.
                        + "  chain input { type filter hook input priority 0; policy accept;\n"
                        + "    iifname \"eth0\" ct state established,related accept\n"
                        + "    iifname \"eth0\" drop\n"
                        + "  }\n"
                        + "  chain forward { type filter hook forward priority 0; policy drop;\n"
                        + "    ct state established,related accept\n"
                        + "    iifname \"in0\" oifname \"eth0\" accept\n"
                        + "  }\n"
                        + "}\n"
                        + "EOF");
        String ifname = MeshAgents.interfaceName("n" + name);
        String publicIp = lab.subnet() + "." + octet;
        if (overlayPrefix == null) {
            return new Site(name, randomPorts, nat, host, ifname, null, null, null, publicIp);
        }
        String keyFile = lab.directory().resolve("nat-" + name + ".key").toString();
        Shell.Result generated = Shell.bash("umask 077 && wg genkey >" + keyFile + " && wg pubkey <" + keyFile);
        assertThat(generated.exitCode()).as(generated.stderr()).isZero();
        String overlay = overlayPrefix + index;
        lab.startProcess(host, "wg-" + name, List.of("wireguard-go", "-f", ifname));
        sh(
                lab,
                host,
                "until wg show " + ifname + " >/dev/null 2>&1; do sleep 0.01; done; wg set " + ifname
                        + " private-key " + keyFile + " listen-port " + WG_PORT + " && ip addr add " + overlay
                        + "/64 dev " + ifname + " && ip link set " + ifname + " up");
        return new Site(
                name,
                randomPorts,
                nat,
                host,
                ifname,
                keyFile,
                generated.stdout().strip(),
                overlay,
                publicIp);
    }

    /** {@code wg set} on {@code on}: {@code peer} at {@code endpoint}, keepalive 1 s (a hand-made interface). */
    static void peer(Lab lab, Site on, Site peer, String endpoint) {
        sh(
                lab,
                on.host(),
                "wg set " + on.ifname() + " peer " + peer.publicKey() + " allowed-ips " + peer.overlay()
                        + "/128 endpoint " + endpoint + " persistent-keepalive 1");
    }

    /** The endpoint {@code on}'s WireGuard has for {@code peer} now (it follows where the peer's packets come from). */
    static String endpointOf(Lab lab, Site on, Site peer) {
        Shell.Result dump = lab.exec(on.host(), "wg", "show", on.ifname(), "endpoints");
        return dump.stdout()
                .lines()
                .filter(line -> line.startsWith(peer.publicKey()))
                .map(line -> line.split("\\s+")[1])
                .findFirst()
                .orElseThrow(() -> new AssertionError(dump.stdout()));
    }

    /** The command line of a JVM with this test's class path running {@code main} with {@code args}. */
    static List<String> java(Class<?> main, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx96m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * {@code provisioner mesh relay} as {@code name} in {@code namespace}, at {@code endpoint}, its state
     * in the lab's directory; answers once it joined ("relaying for").
     */
    static Lab.Daemon meshRelay(Lab lab, String namespace, String name, String server, String token, String endpoint) {
        Lab.Daemon relay = lab.startProcess(
                namespace,
                "mesh-" + name,
                java(
                        io.clusterplatform.provisioner.distributor.mesh.MeshCommand.class,
                        "relay",
                        "--server",
                        server,
                        "--token",
                        token,
                        "--state-dir",
                        lab.directory().resolve("mesh-" + name).toString(),
                        "--hostname",
                        name,
                        "--endpoint",
                        endpoint));
        org.awaitility.Awaitility.await(name + " joined")
                .atMost(io.clusterplatform.provisioner.core.testing.Timeouts.startup())
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> {
                    assertThat(relay.isAlive()).as(relay.output()).isTrue();
                    return relay.output().contains("relaying for");
                });
        return relay;
    }

    static void sh(Lab lab, String ns, String script) {
        Shell.Result result = lab.exec(ns, "sh", "-c", script);
        assertThat(result.exitCode())
                .as(script + ": " + result.stdout() + result.stderr())
                .isZero();
    }
}
