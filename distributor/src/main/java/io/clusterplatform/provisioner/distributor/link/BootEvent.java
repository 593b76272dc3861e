package io.clusterplatform.provisioner.distributor.link;

import java.time.Instant;

/**
 * One line of dnsmasq's log that says something about a booting host: {@code dhcp} (a PXE offer or
 * boot server reply), {@code tftp} (a file sent, missing or aborted), or {@code service} (dnsmasq
 * started, stopped, failed). {@code seq} orders the events of one agent and lets the server drop an
 * event it already has when the agent sends it again.
 */
public record BootEvent(long seq, Instant at, String kind, String mac, String ip, String file, String message) {}
