package io.clusterplatform.provisioner.server.distributors;

import java.time.Instant;

/**
 * One line of a distributor's boot timeline, as its agent uploaded it: a DHCP or TFTP exchange with
 * a host (by MAC and IP, with the file asked for) or a service event, with dnsmasq's raw log line.
 *
 * @param id the server's id of the event
 * @param distributorId the distributor that saw it
 * @param artifactId the distributor's artifactId (site tag), copied when the event was stored
 * @param seq the agent's sequence number: unique per distributor, a resent event keeps it
 * @param at when the distributor saw it (microsecond precision)
 * @param kind dhcp, tftp or service
 * @param mac the host's MAC address in lower case, or null
 * @param ip the host's IPv4 or IPv6 address, or null
 * @param file the file the host asked for (TFTP, or the boot file named by DHCP), or null
 * @param message dnsmasq's log line as the agent read it
 * @param receivedAt when the server stored it
 */
public record BootEvent(
        long id,
        long distributorId,
        String artifactId,
        long seq,
        Instant at,
        BootEventKind kind,
        String mac,
        String ip,
        String file,
        String message,
        Instant receivedAt) {

    /** An event as an agent uploads it, validated (see {@link BootEventUpload}). */
    public record New(long seq, Instant at, BootEventKind kind, String mac, String ip, String file, String message) {}
}
