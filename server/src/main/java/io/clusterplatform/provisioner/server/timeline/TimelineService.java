package io.clusterplatform.provisioner.server.timeline;

import static io.clusterplatform.provisioner.server.timeline.TimelineEntry.details;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.distributors.BootEventStore;
import io.clusterplatform.provisioner.server.localnodes.Localnode;
import io.clusterplatform.provisioner.server.localnodes.LocalnodeStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Builds a host's boot timeline from every {@link TimelineSource}: the distributors' DHCP and TFTP
 * events, what the server served it, its registrations and liveness changes, and whatever other
 * features add. When the host's last DHCP was followed by no HTTP request from its address, a
 * {@code note} says so, with what to check.
 */
@Service
public class TimelineService {
    /** The most entries a timeline holds: the newest ones. */
    public static final int MAX_ENTRIES = 500;

    /** How far the distributor's clock may be ahead of the server's before a fetch looks earlier than its DHCP. */
    static final Duration CLOCK_LEEWAY = Duration.ofSeconds(1);

    /** A DHCP this recent may still be followed by a fetch: the note says so. */
    static final Duration STILL_BOOTING = Duration.ofSeconds(60);

    private final LocalnodeStore nodes;
    private final BootEventStore bootEvents;
    private final HostFetchStore fetches;
    private final List<TimelineSource> sources;
    private final Clock clock;

    TimelineService(
            LocalnodeStore nodes,
            BootEventStore bootEvents,
            HostFetchStore fetches,
            List<TimelineSource> sources,
            Clock clock) {
        this.nodes = nodes;
        this.bootEvents = bootEvents;
        this.fetches = fetches;
        this.sources = List.copyOf(sources);
        this.clock = clock;
    }

    /** The timeline of a registered node (404 for an unknown id). */
    public Timeline forNode(long id) {
        return build(host(nodes.get(id), null, null));
    }

    /** The timeline of a host by MAC, IP or both; it need not have registered. */
    public Timeline forHost(String mac, String ip) {
        String wantedMac = blank(mac) ? null : mac(mac);
        String wantedIp = blank(ip) ? null : ip(ip);
        if (wantedMac == null && wantedIp == null) {
            throw ProblemException.invalid("give 'mac' or 'ip' (or both): the host's MAC or IP address");
        }
        Optional<Localnode> node = wantedMac == null ? Optional.empty() : nodes.lastSeenWithMac(wantedMac);
        if (node.isEmpty() && wantedIp != null) {
            node = nodes.lastSeenAt(wantedIp)
                    .filter(n -> n.mac() == null || n.mac().equals(wantedMac) || wantedMac == null);
        }
        if (node.isEmpty() && wantedIp == null) {
            // a node that registered without its MAC: where the distributor last saw that MAC with an address
            node = bootEvents
                    .lastWithAddress(wantedMac)
                    .flatMap(e -> nodes.findAt(e.ip(), e.artifactId()))
                    .filter(n -> n.mac() == null);
        }
        if (node.isPresent()) {
            return build(host(node.get(), wantedMac, wantedIp));
        }
        String foundIp = wantedIp != null
                ? wantedIp
                : bootEvents
                        .lastWithAddress(wantedMac)
                        .map(e -> NodeAddresses.canonicalIp(e.ip()))
                        .orElse(null);
        String foundMac = wantedMac != null
                ? wantedMac
                : bootEvents.lastMacOf(wantedIp, null).orElse(null);
        return build(new TimelineHost(foundMac, foundIp, null, null));
    }

    private TimelineHost host(Localnode node, String mac, String ip) {
        String hostIp = ip != null ? ip : NodeAddresses.canonicalIp(node.ip());
        String hostMac = mac != null ? mac : node.mac();
        if (hostMac == null) {
            // dnsmasq names IP and MAC together when it tells a host that has an address its boot file
            hostMac = bootEvents.lastMacOf(hostIp, node.artifactId()).orElse(null);
        }
        return new TimelineHost(hostMac, hostIp, node.id(), node.artifactId());
    }

    private Timeline build(TimelineHost host) {
        List<TimelineEntry> entries = new ArrayList<>();
        for (TimelineSource source : sources) {
            // one more than kept, to know whether anything was left out
            entries.addAll(source.entries(host, MAX_ENTRIES + 1));
        }
        entries.sort(Comparator.comparing(TimelineEntry::at));
        boolean truncated = entries.size() > MAX_ENTRIES;
        List<TimelineEntry> kept =
                truncated ? new ArrayList<>(entries.subList(entries.size() - MAX_ENTRIES, entries.size())) : entries;
        noFetchAfterDhcp(host, kept).ifPresent(note -> {
            // after the DHCP entry and anything at the same instant
            int at = 0;
            while (at < kept.size() && !kept.get(at).at().isAfter(note.at())) {
                at++;
            }
            kept.add(at, note);
        });
        return new Timeline(host, List.copyOf(kept), truncated);
    }

    private Optional<TimelineEntry> noFetchAfterDhcp(TimelineHost host, List<TimelineEntry> entries) {
        TimelineEntry dhcp = null;
        for (TimelineEntry entry : entries) {
            if (entry.kind().equals("dhcp") && entry.source() == TimelineEntry.Source.DISTRIBUTOR) {
                dhcp = entry;
            }
        }
        if (dhcp == null) {
            return Optional.empty();
        }
        Object dhcpIp = dhcp.detail().get("ip");
        String ip = dhcpIp instanceof String s ? NodeAddresses.canonicalIp(s) : host.ip();
        Duration ago = Duration.between(dhcp.at(), clock.instant());
        String maybeStill = ago.compareTo(STILL_BOOTING) < 0
                ? " (it was " + Math.max(0, ago.toSeconds()) + " s ago: the host may still be loading)"
                : "";
        if (ip == null) {
            return Optional.of(new TimelineEntry(
                    dhcp.at(),
                    "note",
                    TimelineEntry.Source.SERVER,
                    "no address known for this host after its DHCP at " + dhcp.at() + maybeStill
                            + ": its HTTP requests cannot be matched to it. dnsmasq names the address once the host"
                            + " asks for its boot file; look for tftp entries, and register the node with its mac",
                    details("dhcpAt", dhcp.at(), "ip", null)));
        }
        if (fetches.anySince(ip, dhcp.at().minus(CLOCK_LEEWAY))) {
            return Optional.empty();
        }
        return Optional.of(new TimelineEntry(
                dhcp.at(),
                "note",
                TimelineEntry.Source.SERVER,
                "no HTTP fetch from " + ip + " after its DHCP at " + dhcp.at() + maybeStill
                        + ": the host never asked this server for its script. Check the tftp entries (did it load"
                        + " iPXE?), that the script URL its distributor hands out reaches this server from the"
                        + " host's LAN (provisioner.public-url), and the host's console",
                details("dhcpAt", dhcp.at(), "ip", ip)));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String mac(String value) {
        if (!NodeAddresses.isMac(value)) {
            throw ProblemException.invalid("'mac' must be a MAC address like 52:54:00:12:34:56, got '" + value + "'");
        }
        return value.toLowerCase(Locale.ROOT).replace('-', ':');
    }

    private static String ip(String value) {
        if (value.length() > 45 || !NodeAddresses.isIpLiteral(value)) {
            throw ProblemException.invalid(
                    "'ip' must be an IPv4 or IPv6 address like 10.213.5.100, got '" + value + "'");
        }
        return NodeAddresses.canonicalIp(value);
    }
}
