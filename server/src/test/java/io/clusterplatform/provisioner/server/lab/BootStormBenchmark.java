package io.clusterplatform.provisioner.server.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clusterplatform.provisioner.core.testing.Timeouts;
import io.clusterplatform.provisioner.server.bootloaders.IpxeBuild;
import io.clusterplatform.provisioner.server.builds.Builds;
import io.clusterplatform.provisioner.server.lab.storm.ReferenceDnsmasq;
import io.clusterplatform.provisioner.server.lab.storm.ReferenceNginx;
import io.clusterplatform.provisioner.server.lab.storm.SimulatedHost;
import io.clusterplatform.provisioner.server.lab.storm.StormLab;
import io.clusterplatform.provisioner.server.testing.Api;
import io.clusterplatform.provisioner.server.testing.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A boot storm: N simulated hosts PXE-boot at once through one distributor (our agent, its dnsmasq in
 * proxy mode with TFTP) and one server (a process of its own in the lab's router namespace), with
 * real packets ({@link SimulatedHost}: proxyDHCP offer, port 4011 boot server ACK, TFTP of the iPXE
 * binary with blksize 1468, iPXE's DHCP for the script URL, then over HTTP the script, mainscript,
 * subscript, a 8 MiB kernel and a 12 MiB initrd from boot assets, the kickstart, and the registration
 * {@code POST /api/localnodes?ip=..&artifactId=..&pingable=true} that the kickstart names). The hosts
 * are one process ({@code StormHosts}) in a namespace of their own on the LAN, each with its own MAC and
 * address; even hosts are BIOS, odd ones x86-64 UEFI.
 *
 * <p>Reference in the same run, on the same LAN and with the same hosts: dnsmasq with a hand-written
 * proxy + TFTP configuration serving the same iPXE binaries, and nginx serving the same script bytes
 * and assets and answering the registration with a bare 201 ({@link ReferenceNginx}): the floor of
 * what the network, dnsmasq and a static web server need for the same storm.
 *
 * <p>The lab's LAN, for this: the hosts take their addresses statically from a /20 of the LAN (the
 * router's ordinary DHCP server is stopped: proxyDHCP needs no lease, and a /24's pool of 51 addresses
 * could not hold the storm). The distributor's interface gets a /16 (dnsmasq answers a BIOS boot
 * server request only from a client of its proxy range's subnet), and the router and the distributor
 * reach the hosts' /20 through the hosts' namespace as a gateway: one neighbour entry instead of one
 * per host (the kernel's ARP table is shared by all namespaces and holds 1024 by default).
 *
 * <p>{@code -Dbenchmark.hosts=100,500,1000} (default 100), {@code -Dbenchmark.deadline=120} (seconds
 * a host has from its first DISCOVER to the registration's answer), {@code -Dbenchmark.warmup=10}
 * (hosts of a first storm of each path, marked warm-up in the table), {@code
 * -Dbenchmark.reference.dnsmasq=tftp-max=1000} (a third path: the reference with these dnsmasq lines,
 * ';' between them). Not part of the test
 * suite (surefire skips *Benchmark); run it with the command in docs/BENCHMARKS.md. Writes the table to
 * server/target/benchmarks/boot-storm.md.
 */
class BootStormBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Integer> SIZES = Arrays.stream(
                    System.getProperty("benchmark.hosts", "100").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(Integer::valueOf)
            .toList();
    private static final long DEADLINE_SECONDS = Long.getLong("benchmark.deadline", 120);
    private static final int WARM_UP = Integer.getInteger("benchmark.warmup", 10);
    /** dnsmasq lines for a further reference run, e.g. {@code tftp-max=1000}; ';' between lines. */
    private static final List<String> REFERENCE_EXTRA = Arrays.stream(
                    System.getProperty("benchmark.reference.dnsmasq", "").split(";"))
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .toList();

    private static final int BLKSIZE = 1468;
    private static final int KERNEL_BYTES = 8 << 20;
    private static final int INITRD_BYTES = 12 << 20;
    private static final int REFERENCE_PORT = 8081;
    private static final Pattern PXE_FILE =
            Pattern.compile("(?m)^pxe-service=tag:!ipxe,(x86PC|X86-64_EFI),\"[^\"]*\",(\\S+)$");
    private static final Pattern PXE_SCRIPT = Pattern.compile("(?m)^pxe-service=tag:ipxe,x86PC,\"[^\"]*\",(\\S+)$");
    private static final List<String> STEPS = Arrays.stream(SimulatedHost.Step.values())
            .map(SimulatedHost.Step::key)
            .toList();

    /** One host's report, parsed from its {@code HOST} line. */
    record HostResult(
            int index,
            String ip,
            boolean ok,
            String failedStep,
            Map<String, Long> endedAt,
            int dhcpRetries,
            int tftpRetries,
            int tftpStrays,
            String reason) {}

    /** One storm of one path. */
    record Run(
            String path,
            int hosts,
            List<HostResult> results,
            long totalMs,
            long hostsUdpDrops,
            long distributorUdpDrops,
            long listenOverflows,
            String registered) {
        Run withRegistered(String what) {
            return new Run(path, hosts, results, totalMs, hostsUdpDrops, distributorUdpDrops, listenOverflows, what);
        }

        List<HostResult> completed() {
            return results.stream().filter(HostResult::ok).toList();
        }

        double[] completion() {
            return completed().stream()
                    .mapToDouble(r -> r.endedAt().get("register") / 1000.0)
                    .sorted()
                    .toArray();
        }

        Map<String, Long> failuresByStep() {
            return results.stream()
                    .filter(r -> !r.ok())
                    .collect(Collectors.groupingBy(HostResult::failedStep, TreeMap::new, Collectors.counting()));
        }
    }

    /** What the boot chain is made of: the paths hosts fetch after the script, and the assets' files. */
    record Chain(List<String> paths, Path kernel, Path initrd) {}

    @Test
    void bootStorm() throws Exception {
        List<Run> runs = new ArrayList<>();
        String loadBefore = loadAverage();
        try (PxeSite site = PxeSite.start(List.of())) {
            Lab lab = site.lab;
            // Static addresses (see the class comment): the router's DHCP server would only add its own
            // offers, on the same two cores, to both paths.
            lab.routerDhcp().close();
            String hostsNamespace = StormLab.addHostsNamespace(lab);
            String block = widenLan(lab);
            Chain chain = prepareBootChain(site);
            site.startAgent();
            site.servePxe();
            Path reference = prepareReference(site, chain);
            ReferenceNginx.start(lab, lab.routerNamespace(), reference.resolve("nginx"), REFERENCE_PORT);

            int offset = 1;
            int round = 0;
            List<Integer> sizes = new ArrayList<>();
            if (WARM_UP > 0) {
                sizes.add(WARM_UP);
            }
            sizes.addAll(SIZES);
            addAddresses(
                    lab,
                    hostsNamespace,
                    block,
                    offset,
                    sizes.stream().mapToInt(i -> i).sum());
            for (int n : sizes) {
                String first = address(block, offset);
                String macPrefix = String.format("02:c5:%02x", ++round);
                boolean warmUp = round == 1 && WARM_UP > 0;
                String prefix = warmUp ? "warm-up " : "";
                Run ours = storm(site, hostsNamespace, prefix + "ours", n, first, macPrefix);
                ours = ours.withRegistered(registeredAndRemoved(site, ours));
                List<Run> group = new ArrayList<>(List.of(ours));
                group.add(
                        referenceStorm(site, hostsNamespace, reference, prefix + "reference", "", n, first, macPrefix));
                if (!REFERENCE_EXTRA.isEmpty()) {
                    group.add(referenceStorm(
                            site,
                            hostsNamespace,
                            reference,
                            prefix + "reference + " + String.join(", ", REFERENCE_EXTRA),
                            String.join("\n", REFERENCE_EXTRA) + "\n",
                            n,
                            first,
                            macPrefix));
                }
                for (Run r : group) {
                    System.out.println("BOOT STORM " + summary(r));
                    runs.add(r);
                }
                offset += n;
            }
            keepLogs(site);
        }
        String table = table(runs, loadBefore, loadAverage());
        System.out.println(table);
        Path out = Path.of("target", "benchmarks", "boot-storm.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        for (Run r : runs) {
            assertThat(r.results())
                    .as(r.path() + " " + r.hosts() + ": every host reported")
                    .hasSize(r.hosts());
        }
    }

    /**
     * The distributor's interface becomes a /16, and the router and the distributor route the hosts' /20
     * through the hosts' namespace; returns the /20's first address ({@code 10.213.160.0} or {@code
     * 10.213.16.0}, whichever is away from the lab's own /24).
     */
    private static String widenLan(Lab lab) {
        int own = Integer.parseInt(lab.subnet().substring(lab.subnet().lastIndexOf('.') + 1));
        String block = own >= 160 && own < 176 ? "10.213.16.0" : "10.213.160.0";
        if (!lab.subnet().startsWith("10.213.")) {
            throw new AssertionError("the lab's LAN is no longer in 10.213.0.0/16: " + lab.subnet());
        }
        String dist = lab.distributorNamespace();
        StormLab.run(lab, dist, "ip", "addr", "del", lab.distributorAddress() + "/24", "dev", "eth0");
        StormLab.run(lab, dist, "ip", "addr", "add", lab.distributorAddress() + "/16", "dev", "eth0");
        String gateway = lab.subnet() + ".3";
        for (String ns : List.of(dist, lab.routerNamespace())) {
            StormLab.run(lab, ns, "ip", "route", "add", block + "/20", "via", gateway, "dev", "eth0");
        }
        return block;
    }

    /** {@code block + n} as a dotted address. */
    private static String address(String block, int n) {
        String[] p = block.split("\\.");
        int base = (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]);
        int a = base + n;
        return p[0] + "." + p[1] + "." + (a >> 8) + "." + (a & 0xff);
    }

    private static void addAddresses(Lab lab, String ns, String block, int from, int count) throws IOException {
        if (from + count >= 4095) {
            throw new AssertionError("the hosts' /20 holds 4094 addresses; this run needs " + (from + count));
        }
        Path batch = lab.directory().resolve("host-addresses.batch");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("address add ").append(address(block, from + i)).append("/32 dev eth0\n");
        }
        Files.writeString(batch, lines);
        StormLab.run(lab, ns, "ip", "-batch", batch.toString());
    }

    /** Boot assets of random bytes, a kickstart, subscript, mainscript and the two iPXE builds. */
    private static Chain prepareBootChain(PxeSite site) throws IOException {
        Random random = new Random(20261202);
        Path kernel = randomFile(site.lab.directory().resolve("storm-vmlinuz"), KERNEL_BYTES, random);
        Path initrd = randomFile(site.lab.directory().resolve("storm-initrd"), INITRD_BYTES, random);
        putAsset(site, "storm-vmlinuz", kernel);
        putAsset(site, "storm-initrd", initrd);
        long kickstart = create(
                site,
                "/api/kickstarts",
                "# Boot storm kickstart: fetched by the simulated installer, whose %post registers the node.\n"
                        + "text\nlang en_US.UTF-8\nkeyboard us\ntimezone UTC\nrootpw --lock\nreboot\n"
                        + "%post\n"
                        + "ip=$(hostname -I | cut -d ' ' -f 1)\n"
                        + "curl --request POST \"{{server}}/api/localnodes?ip=${ip}&artifactId={{artifactId}}"
                        + "&pingable=true\"\n"
                        + "%end\n");
        String kickstartPath = "/api/kickstarts/" + kickstart + "?artifactId=" + PxeSite.ARTIFACT_ID;
        long subscript = create(
                site,
                "/api/subscripts",
                "#!ipxe\n"
                        + "kernel {{server}}/assets/storm-vmlinuz initrd=storm-initrd inst.ks={{server}}"
                        + kickstartPath + " console=ttyS0\n"
                        + "initrd {{server}}/assets/storm-initrd\n"
                        + "boot\n");
        long mainscript = create(
                site,
                "/api/mainscripts",
                "#!ipxe\nmenu Choose Script\nitem storm Boot storm installer\n"
                        + "choose --default storm --timeout 1000 target && goto ${target}\n"
                        + ":storm\nchain {{server}}/api/subscripts/" + subscript + "\n");
        String script = "#!ipxe\ndhcp\nchain {{server}}/api/mainscripts/" + mainscript;
        site.biosUrl = build(site, script, "bin-x86_64-pcbios", "kpxe");
        site.uefiUrl = build(site, script, "bin-x86_64-efi", "efi");
        return new Chain(
                List.of(
                        "/api/mainscripts/" + mainscript,
                        "/api/subscripts/" + subscript,
                        kickstartPath,
                        "/assets/storm-vmlinuz",
                        "/assets/storm-initrd"),
                kernel,
                initrd);
    }

    /**
     * The reference's files: the TFTP root with the binaries our agent fetched, and nginx's root with the
     * bytes our server answers for every path of the chain, its own URL in place of the server's.
     */
    private static Path prepareReference(PxeSite site, Chain chain) throws IOException {
        Path dir = site.lab.directory().resolve("reference");
        Path agentConf = site.agentStateDir().resolve("dnsmasq.conf");
        String conf = Files.readString(agentConf);
        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = PXE_FILE.matcher(conf);
        while (m.find()) {
            files.put(m.group(1), m.group(2));
        }
        Matcher script = PXE_SCRIPT.matcher(conf);
        assertThat(files).as(conf).containsKeys("x86PC", "X86-64_EFI");
        assertThat(script.find()).as(conf).isTrue();
        Path tftp = dir.resolve("tftp");
        Files.createDirectories(tftp.resolve("bios"));
        Files.createDirectories(tftp.resolve("uefi"));
        Path agentTftp = site.agentStateDir().resolve("tftp");
        Files.copy(agentTftp.resolve(files.get("x86PC")), tftp.resolve("bios/ipxe.kpxe"));
        Files.copy(agentTftp.resolve(files.get("X86-64_EFI")), tftp.resolve("uefi/ipxe.efi"));

        String ours = site.serverUrl;
        String theirs = "http://" + site.lab.routerAddress() + ":" + REFERENCE_PORT;
        Path root = dir.resolve("nginx/root");
        URI scriptUrl = URI.create(script.group(1));
        List<String> paths = new ArrayList<>(List.of(scriptUrl.getRawPath()));
        paths.addAll(chain.paths());
        for (String path : paths) {
            Path target = root.resolve(URI.create(path).getRawPath().substring(1));
            Files.createDirectories(target.getParent());
            if (path.startsWith("/assets/")) {
                Files.copy(path.endsWith("vmlinuz") ? chain.kernel() : chain.initrd(), target);
                continue;
            }
            Api.Response r = site.api().get(path);
            assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
            assertThat(r.body()).as(path).contains(ours);
            Files.writeString(target, r.body().replace(ours, theirs), StandardCharsets.UTF_8);
        }
        makeReadable(dir); // by nginx's workers and dnsmasq's TFTP, which drop root
        return dir;
    }

    private static Run referenceStorm(
            PxeSite site,
            String hostsNamespace,
            Path reference,
            String path,
            String extraLines,
            int n,
            String first,
            String macPrefix)
            throws IOException {
        Lab lab = site.lab;
        JsonNode off = site.awaitCommand(site.status(false));
        assertThat(off.get("status").asText()).as(off.toString()).isEqualTo("done");
        String theirs = "http://" + lab.routerAddress() + ":" + REFERENCE_PORT;
        String scriptPath = firstFile(reference.resolve("nginx/root"), IpxeBuild.PROXYDHCP_SCRIPT_FILE);
        Lab.Daemon dnsmasq = ReferenceDnsmasq.start(
                lab,
                lab.distributorNamespace(),
                "reference-dnsmasq-" + n + "-" + macPrefix.replace(":", "") + (extraLines.isEmpty() ? "" : "-extra"),
                reference,
                ReferenceDnsmasq.config(
                                lab.distributorInterface(),
                                lab.routerAddress(),
                                reference.resolve("tftp"),
                                "bios/ipxe.kpxe",
                                "uefi/ipxe.efi",
                                theirs + scriptPath)
                        + extraLines);
        try {
            return storm(site, hostsNamespace, path, n, first, macPrefix);
        } finally {
            dnsmasq.close();
            JsonNode on = site.awaitCommand(site.status(true));
            assertThat(on.get("status").asText()).as(on.toString()).isEqualTo("done");
        }
    }

    /** Where under {@code root} the file named {@code name} is, as a URL path. */
    private static String firstFile(Path root, String name) throws IOException {
        try (var files = Files.walk(root)) {
            Path found = files.filter(p -> p.getFileName().toString().equals(name))
                    .findFirst()
                    .orElseThrow();
            return "/" + root.relativize(found).toString().replace('\\', '/');
        }
    }

    /** Runs one storm of {@code n} hosts and waits for the hosts' process to end. */
    private static Run storm(PxeSite site, String hostsNamespace, String path, int n, String first, String macPrefix)
            throws IOException {
        Lab lab = site.lab;
        long distributorDrops = udpDrops(lab, lab.distributorNamespace());
        long hostsDrops = udpDrops(lab, hostsNamespace);
        long overflows = listenOverflows(lab);
        String name = "storm-" + path.replaceAll("[^A-Za-z0-9-]+", "-") + "-" + n;
        Lab.Daemon hosts = lab.startProcess(
                hostsNamespace,
                name,
                StormLab.command(
                        "768m",
                        "storm",
                        Integer.toString(n),
                        first,
                        macPrefix,
                        Long.toString(DEADLINE_SECONDS),
                        Integer.toString(BLKSIZE)));
        long limit = System.nanoTime()
                + Timeouts.scaled(Duration.ofSeconds(DEADLINE_SECONDS + 120)).toNanos();
        while (hosts.isAlive()) {
            if (System.nanoTime() > limit) {
                hosts.close();
                throw new AssertionError("the storm of " + n + " hosts (" + path + ") did not end: " + hosts.output());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        List<String> lines = Files.readAllLines(hosts.log(), StandardCharsets.ISO_8859_1);
        List<HostResult> results = new ArrayList<>();
        long total = -1;
        long hostsDropsAfter = -1;
        for (String line : lines) {
            if (line.startsWith("HOST ")) {
                results.add(parse(line));
            } else if (line.startsWith("STORM total=")) {
                Matcher m = Pattern.compile("total=(\\d+) udpReceiveBufferErrors=(-?\\d+)")
                        .matcher(line);
                assertThat(m.find()).isTrue();
                total = Long.parseLong(m.group(1));
                hostsDropsAfter = Long.parseLong(m.group(2));
            }
        }
        assertThat(total)
                .as("the hosts' process ended its storm: " + hosts.output())
                .isNotNegative();
        return new Run(
                path,
                n,
                results,
                total,
                hostsDropsAfter >= 0 ? hostsDropsAfter : udpDrops(lab, hostsNamespace) - hostsDrops,
                udpDrops(lab, lab.distributorNamespace()) - distributorDrops,
                listenOverflows(lab) - overflows,
                "-");
    }

    private static HostResult parse(String line) {
        String reason = line.substring(line.indexOf(" reason=") + " reason=".length());
        String[] t = line.substring(0, line.indexOf(" reason=")).split(" ");
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 7; i < t.length; i++) {
            int eq = t[i].indexOf('=');
            kv.put(t[i].substring(0, eq), t[i].substring(eq + 1));
        }
        Map<String, Long> ended = new LinkedHashMap<>();
        for (String step : STEPS) {
            String v = kv.get(step);
            if (v != null && !v.equals("-")) {
                ended.put(step, Long.parseLong(v));
            }
        }
        return new HostResult(
                Integer.parseInt(t[1]),
                t[3],
                t[5].equals("ok"),
                t[6],
                ended,
                Integer.parseInt(kv.get("dhcpRetries")),
                Integer.parseInt(kv.get("tftpRetries")),
                Integer.parseInt(kv.get("tftpStrays")),
                reason);
    }

    /** The UDP datagrams the kernel dropped for full receive buffers in {@code ns} so far. */
    private static long udpDrops(Lab lab, String ns) {
        String snmp = StormLab.run(lab, ns, "cat", "/proc/net/snmp");
        List<String> udp = snmp.lines().filter(l -> l.startsWith("Udp:")).toList();
        List<String> names = List.of(udp.get(0).split("\\s+"));
        return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("RcvbufErrors")]);
    }

    /** Connections the router namespace's listeners (the server's, nginx's) dropped for a full accept queue. */
    private static long listenOverflows(Lab lab) {
        String netstat = StormLab.run(lab, lab.routerNamespace(), "cat", "/proc/net/netstat");
        List<String> tcp = netstat.lines().filter(l -> l.startsWith("TcpExt:")).toList();
        List<String> names = List.of(tcp.get(0).split("\\s+"));
        return Long.parseLong(tcp.get(1).split("\\s+")[names.indexOf("ListenOverflows")]);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Checks which hosts of the run the server registered (localnodes of the site's artifactId with the
     * run's addresses), then deletes them, so that each storm starts with no node; returns "x of y".
     */
    private static String registeredAndRemoved(PxeSite site, Run run) {
        Set<String> ips = new HashSet<>();
        run.results().forEach(r -> ips.add(r.ip()));
        List<Long> ids = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = site.api()
                    .get("/api/localnodes?search=" + PxeSite.ARTIFACT_ID + "&searchFields=artifactId&pageSize=100&page="
                            + page)
                    .json();
            for (JsonNode row : body.get("rows")) {
                if (ips.contains(row.get("ip").asText())) {
                    ids.add(row.get("id").asLong());
                }
            }
            if (page >= body.get("totalPages").asInt()) {
                break;
            }
        }
        for (long id : ids) {
            Api.Response deleted = site.api().delete("/api/localnodes/" + id);
            assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        }
        return ids.size() + " of " + run.completed().size();
    }

    /** The agent's, dnsmasq's and nginx's logs and the storms' output, kept beside the table (the lab's go). */
    private static void keepLogs(PxeSite site) throws IOException {
        Path logs = Path.of("target", "benchmarks", "boot-storm-logs");
        if (Files.exists(logs)) {
            try (var old = Files.walk(logs)) { // a previous run's
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(logs);
        try (var files = Stream.concat(Files.walk(site.lab.directory()), Files.walk(site.dataDirectory(), 1))) {
            for (Path p : files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".log"))
                    .toList()) {
                Files.copy(p, logs.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Path randomFile(Path file, int size, Random random) throws IOException {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        Files.write(file, bytes);
        return file;
    }

    private static void putAsset(PxeSite site, String name, Path file) {
        try {
            Api.Response put = site.api()
                    .send(site.api()
                            .builder("/api/assets/" + name)
                            .header("Content-Type", "application/octet-stream")
                            .PUT(HttpRequest.BodyPublishers.ofFile(file)));
            assertThat(put.status()).as(put.toString()).isIn(200, 201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long create(PxeSite site, String path, String text) {
        Api.Response created =
                site.api().post(path, JSON.createObjectNode().put("text", text).toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static String build(PxeSite site, String script, String platform, String extension) {
        ObjectNode body = JSON.createObjectNode()
                .put("script", script)
                .put("platform", platform)
                .put("driver", "ipxe")
                .put("extension", extension);
        JsonNode queued = Builds.queue(site.api(), "ipxes", body.toString());
        return Builds.awaitDone(site.api(), "ipxes", queued.get("id").asLong())
                .get("url")
                .asText();
    }

    private static double at(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * quantile) - 1)];
    }

    private static String summary(Run r) {
        double[] c = r.completion();
        return String.format(
                Locale.ROOT,
                "%s, %d hosts: %d registered, failures %s; per host p50 %.1f s, p90 %.1f s, p99 %.1f s, max %.1f s;"
                        + " storm %.1f s; retries DHCP %d, TFTP %d (strays %d); UDP drops hosts %d, distributor %d;"
                        + " listen overflows %d; server registered %s",
                r.path(),
                r.hosts(),
                r.completed().size(),
                r.failuresByStep(),
                at(c, 0.5),
                at(c, 0.9),
                at(c, 0.99),
                max(c),
                r.totalMs() / 1000.0,
                r.results().stream().mapToInt(HostResult::dhcpRetries).sum(),
                r.results().stream().mapToInt(HostResult::tftpRetries).sum(),
                r.results().stream().mapToInt(HostResult::tftpStrays).sum(),
                r.hostsUdpDrops(),
                r.distributorUdpDrops(),
                r.listenOverflows(),
                r.registered());
    }

    private static double max(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    private static String table(List<Run> runs, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Boot storm: N hosts at once through one distributor and one server (ours) and through dnsmasq +"
                        + " nginx alone (reference). Per host: seconds from its first DISCOVER to the registration's"
                        + " answer (hosts that got it); deadline %d s per host. Storm total: until the last host"
                        + " registered or gave up. Load average %s before, %s after.%n%n",
                DEADLINE_SECONDS,
                loadBefore,
                loadAfter));
        out.append("| hosts | path | registered | failed (step: hosts) | p50 | p90 | p99 | max | storm total"
                + " | ours / this: total, p50 | DHCP retries | TFTP retries (stray transfers) | UDP drops (hosts, distributor)"
                + " | listen overflows |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Run ours = null;
        for (Run r : runs) {
            if (r.path().endsWith("ours")) {
                ours = r;
            }
            double[] c = r.completion();
            Map<String, Long> failures = r.failuresByStep();
            String ratio = "";
            if (r != ours && ours != null) {
                ratio = String.format(
                        Locale.ROOT,
                        "%.2f, %.2f",
                        ours.totalMs() / (double) r.totalMs(),
                        at(ours.completion(), 0.5) / at(c, 0.5));
            }
            out.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %d | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %d | %d (%d) | %d, %d | %d |%n",
                    r.hosts(),
                    r.path(),
                    r.completed().size(),
                    failures.isEmpty()
                            ? "0"
                            : failures.entrySet().stream()
                                    .map(e -> e.getKey() + ": " + e.getValue())
                                    .collect(Collectors.joining(", ")),
                    at(c, 0.5),
                    at(c, 0.9),
                    at(c, 0.99),
                    max(c),
                    r.totalMs() / 1000.0,
                    ratio,
                    r.results().stream().mapToInt(HostResult::dhcpRetries).sum(),
                    r.results().stream().mapToInt(HostResult::tftpRetries).sum(),
                    r.results().stream().mapToInt(HostResult::tftpStrays).sum(),
                    r.hostsUdpDrops(),
                    r.distributorUdpDrops(),
                    r.listenOverflows()));
        }
        out.append("\nTime per step, p50 / p99 over the hosts that got past it (seconds):\n\n| step |");
        for (Run r : runs) {
            out.append(' ').append(r.hosts()).append(' ').append(r.path()).append(" |");
        }
        out.append("\n|---|").append("---|".repeat(runs.size())).append('\n');
        for (int s = 0; s < STEPS.size(); s++) {
            String step = STEPS.get(s);
            String before = s == 0 ? null : STEPS.get(s - 1);
            out.append("| ").append(step).append(" |");
            for (Run r : runs) {
                double[] d = r.results().stream()
                        .filter(h -> h.endedAt().containsKey(step))
                        .mapToDouble(h -> (h.endedAt().get(step)
                                        - (before == null ? 0 : h.endedAt().get(before)))
                                / 1000.0)
                        .sorted()
                        .toArray();
                out.append(String.format(Locale.ROOT, " %.2f / %.2f |", at(d, 0.5), at(d, 0.99)));
            }
            out.append('\n');
        }
        out.append("\nServer check (ours): localnodes registered with the run's addresses, of the hosts that got"
                + " their 2xx: ");
        out.append(runs.stream()
                .filter(r -> !r.registered().equals("-"))
                .map(r -> r.hosts() + " hosts " + r.registered())
                .collect(Collectors.joining("; ")));
        out.append(".\n");
        List<String> reasons = runs.stream()
                .flatMap(r -> r.results().stream()
                        .filter(h -> !h.ok())
                        .map(h -> r.hosts() + " " + r.path() + ", " + h.failedStep() + ": "
                                + h.reason().replaceAll("\\d+\\.\\d+\\.\\d+\\.\\d+", "<ip>")))
                .distinct()
                .limit(20)
                .toList();
        if (!reasons.isEmpty()) {
            out.append("\nFailure reasons (distinct, at most 20):\n\n");
            reasons.forEach(r -> out.append("- ").append(r).append('\n'));
        }
        return out.toString();
    }

    private static void makeReadable(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                Files.setPosixFilePermissions(
                        p,
                        java.nio.file.attribute.PosixFilePermissions.fromString(
                                Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
