package io.clusterplatform.provisioner.server.timeline;

/**
 * The host a timeline is about, as far as it is known: its MAC (from the node's registration or the
 * distributors' DHCP events), its IP, and the localnode it registered as.
 *
 * @param mac lower case with ':', or null
 * @param ip in {@link io.clusterplatform.provisioner.core.nodes.NodeAddresses#canonicalIp} form, or null
 * @param nodeId the localnode, or null when it has not registered (or was asked for by an address
 *     no node has)
 * @param artifactId the node's artifactId, or null without a node
 */
public record TimelineHost(String mac, String ip, Long nodeId, String artifactId) {}
