package io.clusterplatform.provisioner.server.localnodes;

import io.clusterplatform.provisioner.core.nodes.IpPrefix;
import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.server.distributors.DistributorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A registration is a claim anyone who reaches the server can make. It is plausible, and its node is
 * verified and checked by the site's distributor, when the address is where the registration came
 * from, or lies in a network the site's distributor reported as its own ({@code lanPrefixes}), or the
 * site's distributors reported none (agents of the previous release: as before). Other claims are
 * stored unverified: never probed, shown as such, at most {@link LocalnodeStore#MAX_UNVERIFIED} per
 * site. So no registration makes a distributor ping or connect to an address off its LANs.
 */
@Component
class RegistrationClaims {
    /** How long a site's reported networks are reused before they are read again. */
    private static final Duration FRESH = Duration.ofSeconds(5);

    private static final int MAX_SITES = 10_000;

    private record Known(Instant readAt, List<IpPrefix> prefixes) {}

    private final DistributorStore distributors;
    private final Clock clock;
    private final Map<String, Known> sites = new ConcurrentHashMap<>();

    RegistrationClaims(DistributorStore distributors, Clock clock) {
        this.distributors = distributors;
        this.clock = clock;
    }

    /** Whether {@code registration} (validated), which came from {@code source}, is plausible. */
    boolean plausible(LocalnodeRegistration registration, String source) {
        if (NodeAddresses.canonicalIp(registration.ip()).equals(NodeAddresses.canonicalIp(source))) {
            return true;
        }
        List<IpPrefix> prefixes = prefixesOf(registration.artifactId());
        return prefixes.isEmpty() || prefixes.stream().anyMatch(prefix -> prefix.contains(registration.ip()));
    }

    private List<IpPrefix> prefixesOf(String artifactId) {
        Instant now = clock.instant();
        Known known = sites.get(artifactId);
        if (known == null || known.readAt().plus(FRESH).isBefore(now)) {
            known = new Known(
                    now,
                    distributors.lanPrefixes(artifactId).stream()
                            .map(prefix -> IpPrefix.parse("lanPrefixes", prefix))
                            .toList());
            if (sites.size() >= MAX_SITES) {
                sites.clear(); // registrations name any artifactId: the cache must not grow with them
            }
            sites.put(artifactId, known);
        }
        return known.prefixes();
    }
}
