package io.clusterplatform.provisioner.server.ipxes;

/**
 * A request of {@code POST /api/ipxes}, as in the original API.
 *
 * @param script the iPXE script the binary runs (starts with {@code #!ipxe})
 * @param platform {@code bin-x86_64-efi}, {@code bin-x86_64-pcbios}, {@code bin} or {@code bin-arm64-efi}
 * @param driver {@code ipxe}
 * @param extension {@code efi}, {@code kpxe} or {@code lkrn}
 * @param serverUrl set by the server, not the caller: its public URL when the build was requested,
 *     which {@code {{server}}} in the script becomes when the build writes {@code script.ipxe}
 */
public record IpxeSpec(String script, String platform, String driver, String extension, String serverUrl) {}
