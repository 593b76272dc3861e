package io.clusterplatform.provisioner.core.mesh;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a node is in its network. A master runs the cluster's control plane and may upload the
 * kubeconfig; a worker joins it; a bridge is an operator's machine (or a gateway) that reaches the
 * mesh without taking part in the cluster, often behind NAT with no endpoint of its own; a relay is a
 * host with a public UDP endpoint that forwards the WireGuard datagrams of nodes that cannot reach each
 * other (it is nobody's WireGuard peer and holds none of their keys).
 */
public enum NodeRole {
    MASTER,
    WORKER,
    BRIDGE,
    RELAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<NodeRole> fromWireName(String text) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(text)).findFirst();
    }

    public static List<String> known() {
        return Arrays.stream(values()).map(NodeRole::wireName).toList();
    }
}
