package io.clusterplatform.provisioner.distributor.pxe;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checks an operator's {@code device} and {@code range} against this machine before dnsmasq sees them,
 * so a typo is a clear error on the command rather than a dnsmasq that answers no one.
 */
public final class LanInterfaces {
    private LanInterfaces() {}

    /** The device's IPv4 address (with prefix) whose subnet holds {@code range}, e.g. {@code 10.213.5.2/24}. */
    public static String requireServes(String device, String range) {
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(device);
        } catch (SocketException e) {
            throw ProblemException.invalid("cannot read the network interfaces: " + e.getMessage());
        }
        if (nic == null) {
            throw ProblemException.invalid("device '" + device + "' does not exist on this distributor; it has: "
                    + String.join(", ", names()));
        }
        InetAddress target;
        try {
            target = InetAddress.getByName(range);
        } catch (UnknownHostException e) {
            throw ProblemException.invalid("range '" + range + "' is not an IPv4 address");
        }
        List<String> subnets = new ArrayList<>();
        for (InterfaceAddress address : nic.getInterfaceAddresses()) {
            if (address.getAddress() instanceof Inet4Address v4) {
                String cidr = v4.getHostAddress() + "/" + address.getNetworkPrefixLength();
                if (sameSubnet(v4, target, address.getNetworkPrefixLength())) {
                    return cidr;
                }
                subnets.add(cidr);
            }
        }
        throw ProblemException.invalid("range '" + range + "' is not in a subnet of device '" + device + "' ("
                + (subnets.isEmpty() ? "it has no IPv4 address" : String.join(", ", subnets))
                + "): proxyDHCP would answer no host; give an address of the hosts' LAN, e.g. its router");
    }

    /**
     * The networks of this machine's interfaces that are up, loopback and link-local left out, e.g.
     * {@code 192.168.178.0/24}: what the server checks registrations of this site against.
     */
    public static List<String> prefixes() {
        List<String> prefixes = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InterfaceAddress address : nic.getInterfaceAddresses()) {
                    InetAddress ip = address.getAddress();
                    if (ip.isLinkLocalAddress() || ip.isLoopbackAddress()) {
                        continue;
                    }
                    String prefix = network(ip, address.getNetworkPrefixLength());
                    if (!prefixes.contains(prefix)) {
                        prefixes.add(prefix);
                    }
                }
            }
        } catch (SocketException e) {
            // none known: the server then treats the site as one of the previous release
        }
        return prefixes;
    }

    private static String network(InetAddress ip, int length) {
        byte[] bytes = ip.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress().replaceAll("%.*$", "") + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean sameSubnet(InetAddress a, InetAddress b, int prefix) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names() {
        try {
            List<String> names = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                names.add(nic.getName());
            }
            Collections.sort(names);
            return names;
        } catch (SocketException e) {
            return List.of("?");
        }
    }
}
