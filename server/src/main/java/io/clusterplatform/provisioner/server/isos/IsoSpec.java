package io.clusterplatform.provisioner.server.isos;

/**
 * A request of {@code POST /api/isos}: the original API's label and nine URLs, or (beyond the original API) just a
 * label with a {@code script} or a {@code mainscriptId}, in which case every fragment is built from
 * the system's bootloaders in the same job. A URL given overrides the built fragment.
 *
 * @param label the ISO's volume label (at most 32 characters)
 * @param script an iPXE script both BIOS and UEFI hosts run
 * @param mainscriptId a mainscript to chain: the script becomes {@code dhcp} + {@code chain <server>/api/mainscripts/<id>}
 * @param serverUrl set by the server, not the caller: its public URL when the build was requested,
 *     which {@code {{server}}} in the embedded script becomes
 */
public record IsoSpec(
        String label,
        String script,
        Long mainscriptId,
        String ipxeUefiUrl,
        String ipxeBiosUrl,
        String grubImgUrl,
        String grubEfiX64Url,
        String grubEfiX86Url,
        String ldLinuxUrl,
        String isolinuxBinUrl,
        String isohdpfxBinUrl,
        String serverUrl) {}
