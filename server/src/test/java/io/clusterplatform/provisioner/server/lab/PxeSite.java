package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.distributor.DistributorAgentCommand;
import io.clusterplatform.provisioner.server.builds.Builds;
import io.clusterplatform.provisioner.server.testing.Agents;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Json;
import io.clusterplatform.provisioner.server.testing.Lab;
import io.clusterplatform.provisioner.server.testing.ServerProcess;
import io.clusterplatform.provisioner.server.testing.TestOs;
import io.clusterplatform.provisioner.server.testing.ThrowawayDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A whole PXE site in a {@link Lab}: the server (a process of its own in the router namespace, at
 * {@code http://<subnet>.1:8080} on the LAN; the tests reach it through {@link Lab#serverApiPort()}), the original API's boot chain
 * (iPXE binaries built by the server whose script chains a mainscript, which chains a subscript, which
 * boots the test OS kernel and initramfs from boot assets, whose postbootscript registers the node) and a
 * distributor agent in the distributor namespace.
 */
final class PxeSite implements AutoCloseable {
    static final String ARTIFACT_ID = "lab.pxe";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Lab lab;
    final String serverUrl;
    private final int apiPort;
    private final ThrowawayDirectory data;
    private ServerProcess server;
    private Lab.Daemon agent;
    long distributorId;
    String biosUrl;
    String uefiUrl;

    private final List<String> serverArguments;

    private PxeSite(Lab lab, ThrowawayDirectory data, List<String> serverArguments) {
        this.lab = lab;
        this.data = data;
        this.serverArguments = serverArguments;
        this.serverUrl = lab.serverUrl();
        this.apiPort = lab.serverApiPort();
    }

    /** A site whose server checks liveness quickly ({@link #LIVENESS}). */
    static PxeSite start() {
        return start(List.of(LIVENESS));
    }

    /** A site whose server gets these arguments besides its public URL (none: the server's defaults). */
    static PxeSite start(List<String> serverArguments) {
        Lab lab = Lab.start();
        ThrowawayDirectory data = null;
        try {
            data = ThrowawayDirectory.create("provisioner-pxe-site-");
            PxeSite site = new PxeSite(lab, data, List.copyOf(serverArguments));
            site.startServer();
            return site;
        } catch (RuntimeException | Error e) {
            lab.close();
            if (data != null) {
                data.close();
            }
            throw e;
        }
    }

    /** Liveness checked every 2 s; a node turns yellow 6 s and red 12 s after its last good check. */
    static final String[] LIVENESS = {
        "--provisioner.liveness.check-every=2s",
        "--provisioner.liveness.yellow-after=6s",
        "--provisioner.liveness.red-after=12s"
    };

    /** The server in the router namespace, where the LAN reaches it and it sees the hosts' addresses. */
    void startServer() {
        List<String> args = new ArrayList<>(List.of("--provisioner.public-url=" + serverUrl));
        args.addAll(serverArguments);
        server = ServerProcess.startIn(
                lab.routerNamespace(), Lab.SERVER_PORT, apiPort, data.path(), args.toArray(String[]::new));
    }

    /** SIGKILL, like a crash. */
    void killServer() {
        server.kill();
    }

    /** The server's data directory (its database, files and log). */
    Path dataDirectory() {
        return data.path();
    }

    Api api() {
        return server.api().asOperator();
    }

    /** Uploads the test OS as boot assets and creates the scripts and iPXE binaries of the boot chain. */
    void prepareBootChain() throws IOException {
        prepareBootChain(true, null);
    }

    /**
     * Like {@link #prepareBootChain()}; the test OS powers off when done if {@code powerOff}, else stays
     * up, and with {@code publicKeyId} it runs dropbear with that key of /api/sshkeys authorized for root.
     */
    void prepareBootChain(boolean powerOff, Long publicKeyId) throws IOException {
        putAsset("lab-vmlinuz", TestOs.kernel());
        putAsset("lab-initramfs", TestOs.initramfs());
        long postboot = create("/api/postbootscripts", postbootscript());
        long subscript = create(
                "/api/subscripts",
                "#!ipxe\n"
                        + "kernel {{server}}/assets/lab-vmlinuz initrd=lab-initramfs console=ttyS0 panic=-1"
                        + " provisioner.postboot={{server}}/api/postbootscripts/" + postboot + "?artifactId="
                        + ARTIFACT_ID
                        + (publicKeyId == null ? "" : " provisioner.sshkey={{server}}/api/sshkeys/" + publicKeyId)
                        + (powerOff ? " provisioner.poweroff=1" : "") + "\n"
                        + "initrd {{server}}/assets/lab-initramfs\n"
                        + "boot\n");
        long mainscript = create(
                "/api/mainscripts",
                "#!ipxe\nmenu Choose Script\nitem lab Lab test OS\n"
                        + "choose --default lab --timeout 1000 target && goto ${target}\n"
                        + ":lab\nchain {{server}}/api/subscripts/" + subscript + "\n");
        String script = "#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/" + mainscript;
        biosUrl = build(script, "bin-x86_64-pcbios", "kpxe");
        uefiUrl = build(script, "bin-x86_64-efi", "efi");
    }

    /**
     * The original API's postbootscript with its IP regex fixed (see TestOsBootTest) and the server and
     * artifactId left to the server's placeholders.
     */
    private static String postbootscript() {
        return "#!/bin/bash\n"
                + "sudo dnf install openssh-server -y\n"
                + "ip=$(echo $(ip -4 addr show | grep -Eo \"inet (addr:)?([0-9]+\\.){3}[0-9]+\""
                + " | grep -Eo \"([0-9]+\\.){3}[0-9]+\" | grep -v \"127.0.0.1\") | cut -d \" \" -f 1)\n"
                + "curl --request POST \"{{server}}/api/localnodes?ip=${ip}&artifactId={{artifactId}}&pingable=true\"\n";
    }

    /** Generates a key pair and stores both halves for {@link #ARTIFACT_ID}; returns the public key's id. */
    long storeKeyPair() {
        JsonNode pair = api().get("/api/sshkey?algorithm=ed25519").json();
        create("/api/sshkeys", pair.get("privateKey").asText(), true);
        return create("/api/sshkeys", pair.get("publicKey").asText(), false);
    }

    private long create(String path, String key, boolean isPrivate) {
        Api.Response created = api().post(
                        path,
                        JSON.createObjectNode()
                                .put("text", key)
                                .put("artifactId", ARTIFACT_ID)
                                .put("private", isPrivate)
                                .toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private String build(String script, String platform, String extension) {
        ObjectNode body = JSON.createObjectNode()
                .put("script", script)
                .put("platform", platform)
                .put("driver", "ipxe")
                .put("extension", extension);
        JsonNode queued = Builds.queue(server.api(), "ipxes", body.toString());
        return Builds.awaitDone(server.api(), "ipxes", queued.get("id").asLong())
                .get("url")
                .asText();
    }

    private long create(String path, String text) {
        Api.Response created =
                api().post(path, JSON.createObjectNode().put("text", text).toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private void putAsset(String name, Path file) {
        Api.Response put = api().send(api().builder("/api/assets/" + name)
                .header("Content-Type", "application/octet-stream")
                .PUT(bodyOf(file)));
        assertThat(put.status()).as(put.toString()).isIn(200, 201);
    }

    private static HttpRequest.BodyPublisher bodyOf(Path file) {
        try {
            return HttpRequest.BodyPublishers.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the agent in the distributor namespace with a new enrollment token; waits for it to register. */
    void startAgent() {
        Agents.Token token = Agents.createToken(api(), ARTIFACT_ID);
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                DistributorAgentCommand.class.getName(),
                "--server",
                serverUrl,
                "--artifact-id",
                ARTIFACT_ID,
                "--token",
                token.secret(),
                "--hostname",
                "lab-distributor",
                "--state-dir",
                agentStateDir().toString()));
        agent = lab.startProcess(lab.distributorNamespace(), "agent", command);
        distributorId = awaitDistributor().get("id").asLong();
    }

    Path agentStateDir() {
        return lab.directory().resolve("agent");
    }

    Lab.Daemon agent() {
        return agent;
    }

    /** The distributor of {@link #ARTIFACT_ID}, once it is online. */
    JsonNode awaitDistributor() {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Awaitility.await("the distributor agent to register and poll")
                .atMost(Timeouts.startup())
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!agent.isAlive()) {
                        throw new AssertionError("the agent exited: " + agent.output());
                    }
                    JsonNode rows = api().get("/api/distributors?search=" + ARTIFACT_ID + "&searchFields=artifactId")
                            .json()
                            .get("rows");
                    if (rows.size() == 1 && rows.get(0).get("online").asBoolean()) {
                        found.set(rows.get(0));
                        return true;
                    }
                    return false;
                });
        return found.get();
    }

    /** Updates the distributor with the site's bootloaders, its LAN interface and range, and switches it on. */
    void servePxe() {
        JsonNode update = awaitCommand(update(lab.distributorInterface(), lab.routerAddress(), biosUrl, uefiUrl));
        assertThat(update.get("status").asText()).as(update.toString()).isEqualTo("done");
        JsonNode on = awaitCommand(status(true));
        assertThat(on.get("status").asText()).as(on.toString()).isEqualTo("done");
    }

    /** PUTs the distributor's settings; returns the queued command's id. */
    long update(String device, String range, String bios, String uefi) {
        ObjectNode body = JSON.createObjectNode()
                .put("ipxePxeUefiUrl", uefi)
                .put("ipxePxeBiosUrl", bios)
                .put("artifactId", ARTIFACT_ID)
                .put("device", device)
                .put("range", range);
        Api.Response put = api().put("/api/distributors/" + distributorId, body.toString());
        assertThat(put.status()).as(put.toString()).isEqualTo(202);
        return put.json().get("id").asLong();
    }

    long status(boolean on) {
        Api.Response put = api().put(
                        "/api/distributors/" + distributorId + "/status",
                        Json.body(Map.of("on", on, "artifactId", ARTIFACT_ID)));
        assertThat(put.status()).as(put.toString()).isEqualTo(202);
        return put.json().get("id").asLong();
    }

    /** Waits until the agent acknowledged the command; returns it (status done or failed). */
    JsonNode awaitCommand(long commandId) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Awaitility.await("command " + commandId + " to be acknowledged")
                .atMost(Timeouts.scaled(Duration.ofMinutes(1)))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (JsonNode c : api().get("/api/distributors/" + distributorId + "/commands")
                            .json()) {
                        if (c.get("id").asLong() == commandId
                                && c.get("status").asText().matches("done|failed")) {
                            found.set(c);
                            return true;
                        }
                    }
                    if (!agent.isAlive()) {
                        throw new AssertionError("the agent exited: " + agent.output());
                    }
                    return false;
                });
        return found.get();
    }

    /** The boot events the distributor reported for {@code mac}. */
    List<JsonNode> events(String mac) {
        List<JsonNode> events = new ArrayList<>();
        Api.Response page = api().get("/api/distributors/" + distributorId + "/events?pageSize=100&mac=" + mac);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        page.json().get("rows").forEach(events::add);
        return events;
    }

    /** The localnode of {@link #ARTIFACT_ID} with this ip, if registered. */
    Optional<JsonNode> localnode(String ip) {
        for (JsonNode row : api().get("/api/localnodes?search=" + ARTIFACT_ID + "&searchFields=artifactId&pageSize=100")
                .json()
                .get("rows")) {
            if (row.get("ip").asText().equals(ip)) {
                return Optional.of(row);
            }
        }
        return Optional.empty();
    }

    /** dnsmasq's pid, from the pid file in the agent's state directory. */
    long dnsmasqPid() throws IOException {
        return Long.parseLong(
                Files.readString(agentStateDir().resolve("dnsmasq.pid")).strip());
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                lab.close();
            } finally {
                data.close();
            }
        }
    }
}
