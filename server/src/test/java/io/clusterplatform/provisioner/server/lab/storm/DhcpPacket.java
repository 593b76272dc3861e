package io.clusterplatform.provisioner.server.lab.storm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A BOOTP/DHCP message (RFC 2131, 2132) as PXE firmware and iPXE send it and dnsmasq answers it: the
 * fixed header, the magic cookie and the options. Only what a PXE client needs is named: {@link
 * #pxeDiscover} builds the DHCPDISCOVER of a PXE ROM (option 60 {@code PXEClient:Arch:...}, 93, 94, 97)
 * or, with {@code ipxe}, of iPXE (user class 77 {@code iPXE} and option 175 as well); {@link #parse}
 * reads any reply and {@link #bootFile()} and {@link #nextServer()} say what it offers. Options are kept
 * in their order and undecoded; option 52 (overload) is not followed (dnsmasq does not use it here).
 */
public record DhcpPacket(
        int op,
        int xid,
        int flags,
        InetAddress ciaddr,
        InetAddress yiaddr,
        InetAddress siaddr,
        InetAddress giaddr,
        byte[] chaddr,
        String sname,
        String file,
        Map<Integer, byte[]> options) {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;
    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int ACK = 5;
    /** The broadcast flag: "answer to 255.255.255.255", as PXE ROMs set it. */
    public static final int BROADCAST = 0x8000;

    public static final int OPT_MESSAGE_TYPE = 53;
    public static final int OPT_SERVER_ID = 54;
    public static final int OPT_VENDOR_CLASS = 60;
    public static final int OPT_TFTP_SERVER = 66;
    public static final int OPT_BOOT_FILE = 67;
    public static final int OPT_USER_CLASS = 77;
    public static final int OPT_CLIENT_ARCH = 93;
    public static final int OPT_CLIENT_NDI = 94;
    public static final int OPT_CLIENT_UUID = 97;
    public static final int OPT_VENDOR_SPECIFIC = 43;
    public static final int OPT_IPXE_ENCAP = 175;

    /** Client system architecture (option 93): legacy BIOS. */
    public static final int ARCH_BIOS = 0;
    /** Client system architecture (option 93): x86-64 UEFI. */
    public static final int ARCH_EFI_X64 = 7;

    private static final int MAGIC_COOKIE = 0x63825363;
    private static final int HEADER = 236;
    private static final byte[] NO_ADDRESS = new byte[4];

    public DhcpPacket {
        options = Map.copyOf(options); // encode writes them by code, 53 first
    }

    /**
     * The DHCPDISCOVER a PXE client broadcasts: {@code arch} 0 (BIOS) or 7 (x86-64 EFI) in options 93
     * and 60, UNDI 2.1 in 94, a client machine id (97) made from the MAC; with {@code ipxe}, the user
     * class {@code iPXE} (77) and an iPXE encapsulated option 175 (bus type PCI) as iPXE sends them.
     */
    public static DhcpPacket pxeDiscover(int xid, byte[] mac, int arch, boolean ipxe) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC has 6 bytes");
        }
        Map<Integer, byte[]> options = new LinkedHashMap<>();
        options.put(OPT_MESSAGE_TYPE, new byte[] {DISCOVER});
        options.put(57, new byte[] {0x05, (byte) 0xc0}); // max message size 1472
        options.put(OPT_CLIENT_ARCH, new byte[] {(byte) (arch >> 8), (byte) arch});
        options.put(OPT_CLIENT_NDI, new byte[] {1, 2, 1});
        byte[] uuid = new byte[17];
        System.arraycopy(mac, 0, uuid, 11, 6);
        options.put(OPT_CLIENT_UUID, uuid);
        options.put(OPT_VENDOR_CLASS, ascii(String.format("PXEClient:Arch:%05d:UNDI:002001", arch)));
        // Parameter request list: mask, router, DNS, host name, domain, vendor specific, class, TFTP, file, ...
        options.put(55, new byte[] {1, 3, 6, 12, 15, 43, 60, 66, 67, (byte) 128, (byte) 129, (byte) 130});
        if (ipxe) {
            options.put(OPT_USER_CLASS, ascii("iPXE"));
            // iPXE's own settings: bus id 177 (PCI 10ec:8139), features HTTP (19) and PXE extensions (17).
            options.put(
                    OPT_IPXE_ENCAP,
                    new byte[] {(byte) 177, 5, 1, 0x10, (byte) 0xec, (byte) 0x81, 0x39, 19, 1, 1, 17, 1, 1});
        }
        return new DhcpPacket(
                BOOTREQUEST,
                xid,
                BROADCAST,
                address(NO_ADDRESS),
                address(NO_ADDRESS),
                address(NO_ADDRESS),
                address(NO_ADDRESS),
                mac.clone(),
                "",
                "",
                options);
    }

    /**
     * The DHCPREQUEST a PXE client unicasts to port 4011 of the proxyDHCP server it was offered (PXE
     * 2.1, "boot server discovery"), from the address it already has ({@code ciaddr}): with the
     * discover's options, and for a boot menu (BIOS clients) option 43 with the chosen item ({@code
     * bootItem}, 71: type and layer 0); {@code bootItem} < 0 sends none, as UEFI firmware does when the
     * offer had no menu. The answer (DHCPACK) names the boot file.
     */
    public static DhcpPacket pxeRequest(int xid, byte[] mac, int arch, boolean ipxe, InetAddress ciaddr, int bootItem) {
        DhcpPacket discover = pxeDiscover(xid, mac, arch, ipxe);
        Map<Integer, byte[]> options = new LinkedHashMap<>(discover.options());
        options.put(OPT_MESSAGE_TYPE, new byte[] {REQUEST});
        if (bootItem >= 0) {
            options.put(
                    OPT_VENDOR_SPECIFIC, new byte[] {71, 4, (byte) (bootItem >> 8), (byte) bootItem, 0, 0, (byte) 255});
        }
        return new DhcpPacket(
                BOOTREQUEST,
                xid,
                0,
                ciaddr,
                address(NO_ADDRESS),
                address(NO_ADDRESS),
                address(NO_ADDRESS),
                mac.clone(),
                "",
                "",
                options);
    }

    /**
     * The first boot server type of a PXE boot menu (option 43, sub-option 9) in this offer, if it has
     * one: what a BIOS PXE ROM picks when the prompt's timeout is 0.
     */
    public Optional<Integer> firstMenuItem() {
        byte[] vendor = options.get(OPT_VENDOR_SPECIFIC);
        if (vendor == null) {
            return Optional.empty();
        }
        for (int i = 0; i + 1 < vendor.length; ) {
            int code = vendor[i] & 0xff;
            if (code == 255) {
                break;
            }
            if (code == 0) {
                i++;
                continue;
            }
            int length = vendor[i + 1] & 0xff;
            if (code == 9 && length >= 3 && i + 2 + length <= vendor.length) {
                return Optional.of(((vendor[i + 2] & 0xff) << 8) | (vendor[i + 3] & 0xff));
            }
            i += 2 + length;
        }
        return Optional.empty();
    }

    /** The message type (option 53), or 0 for plain BOOTP. */
    public int messageType() {
        byte[] type = options.get(OPT_MESSAGE_TYPE);
        return type == null || type.length != 1 ? 0 : type[0] & 0xff;
    }

    /** An option's bytes, if present. */
    public Optional<byte[]> option(int code) {
        return Optional.ofNullable(options.get(code)).map(byte[]::clone);
    }

    /** An option as ASCII text (trailing NULs cut), if present. */
    public Optional<String> text(int code) {
        return option(code).map(DhcpPacket::cString);
    }

    /** The boot file: the {@code file} header field, else option 67; empty when neither names one. */
    public Optional<String> bootFile() {
        if (!file.isEmpty()) {
            return Optional.of(file);
        }
        return text(OPT_BOOT_FILE).filter(f -> !f.isEmpty());
    }

    /** Where to fetch the boot file over TFTP: {@code siaddr}, else option 66 or the server identifier. */
    public Optional<InetAddress> nextServer() {
        if (!Arrays.equals(siaddr.getAddress(), NO_ADDRESS)) {
            return Optional.of(siaddr);
        }
        Optional<String> tftp = text(OPT_TFTP_SERVER);
        if (tftp.isPresent() && tftp.get().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return Optional.of(parseAddress(tftp.get()));
        }
        return option(OPT_SERVER_ID).filter(b -> b.length == 4).map(DhcpPacket::address);
    }

    /** Whether this reply comes from a proxyDHCP server: a PXEClient class and no address offered. */
    public boolean isProxyOffer() {
        return op == BOOTREPLY
                && Arrays.equals(yiaddr.getAddress(), NO_ADDRESS)
                && text(OPT_VENDOR_CLASS).filter(c -> c.startsWith("PXEClient")).isPresent();
    }

    /** The MAC as {@code 52:54:00:12:34:56}. */
    public String mac() {
        return HexFormat.ofDelimiter(":").formatHex(chaddr, 0, 6);
    }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(576);
        b.put((byte) op).put((byte) 1).put((byte) 6).put((byte) 0);
        b.putInt(xid);
        b.putShort((short) 0); // secs
        b.putShort((short) flags);
        b.put(ciaddr.getAddress())
                .put(yiaddr.getAddress())
                .put(siaddr.getAddress())
                .put(giaddr.getAddress());
        b.put(Arrays.copyOf(chaddr, 16));
        b.put(Arrays.copyOf(ascii(sname), 64));
        b.put(Arrays.copyOf(ascii(file), 128));
        b.putInt(MAGIC_COOKIE);
        options.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        // 53 first, as clients send it; the rest by code.
                        (x, y) -> x == OPT_MESSAGE_TYPE ? -1 : y == OPT_MESSAGE_TYPE ? 1 : Integer.compare(x, y)))
                .forEach(e -> {
                    b.put((byte) (int) e.getKey())
                            .put((byte) e.getValue().length)
                            .put(e.getValue());
                });
        b.put((byte) 255);
        while (b.position() < 300) {
            b.put((byte) 0); // BOOTP's minimum length; some servers drop shorter packets
        }
        return b.flip();
    }

    /** Reads a message; throws {@link IllegalArgumentException} for anything that is not DHCP. */
    public static DhcpPacket parse(ByteBuffer in) {
        ByteBuffer b = in.slice();
        if (b.remaining() < HEADER + 4) {
            throw new IllegalArgumentException("too short for DHCP: " + b.remaining() + " bytes");
        }
        int op = b.get() & 0xff;
        b.get(); // htype
        int hlen = b.get() & 0xff;
        b.get(); // hops
        int xid = b.getInt();
        b.getShort(); // secs
        int flags = b.getShort() & 0xffff;
        InetAddress ciaddr = address(bytes(b, 4));
        InetAddress yiaddr = address(bytes(b, 4));
        InetAddress siaddr = address(bytes(b, 4));
        InetAddress giaddr = address(bytes(b, 4));
        byte[] chaddr = Arrays.copyOf(bytes(b, 16), Math.min(16, Math.max(hlen, 6)));
        String sname = cString(bytes(b, 64));
        String file = cString(bytes(b, 128));
        if (b.getInt() != MAGIC_COOKIE) {
            throw new IllegalArgumentException("no DHCP magic cookie");
        }
        Map<Integer, byte[]> options = new LinkedHashMap<>();
        while (b.hasRemaining()) {
            int code = b.get() & 0xff;
            if (code == 0) {
                continue;
            }
            if (code == 255 || !b.hasRemaining()) {
                break;
            }
            int length = b.get() & 0xff;
            if (length > b.remaining()) {
                throw new IllegalArgumentException("option " + code + " runs past the packet's end");
            }
            // RFC 3396: a repeated option continues the first.
            byte[] value = bytes(b, length);
            options.merge(code, value, DhcpPacket::concat);
        }
        return new DhcpPacket(op, xid, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname, file, options);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append(op == BOOTREPLY ? "reply" : "request")
                .append(" type ")
                .append(messageType())
                .append(" xid ")
                .append(Integer.toHexString(xid))
                .append(" mac ")
                .append(mac())
                .append(" yiaddr ")
                .append(yiaddr.getHostAddress())
                .append(" siaddr ")
                .append(siaddr.getHostAddress())
                .append(" file '")
                .append(file)
                .append("' options");
        options.keySet().stream().sorted().forEach(code -> s.append(' ').append(code));
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpPacket p && encode().equals(p.encode());
    }

    @Override
    public int hashCode() {
        return encode().hashCode();
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    static InetAddress address(byte[] four) {
        try {
            return InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress parseAddress(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return address(b);
    }
}
