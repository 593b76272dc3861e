package io.clusterplatform.provisioner.server.bootloaders;

import io.clusterplatform.provisioner.core.bootloaders.IpxeScript;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds an iPXE artifact: the prebuilt iPXE 1.21+ binary of the target bound to a script through
 * iPXE's own channels, without compiling iPXE. Writes into the output directory:
 *
 * <ul>
 *   <li>{@code ipxe.<extension>}: the binary as it is ({@code ipxe.efi}, {@code ipxe.kpxe}, {@code
 *       ipxe.lkrn}); the script reaches it as an initrd (lkrn from SYSLINUX/GRUB), through
 *       proxyDHCP's script URL (kpxe, efi over PXE) or as {@code autoexec.ipxe} (efi);
 *   <li>{@code script.ipxe}: the script;
 *   <li>for the targets hosts load over PXE, {@code proxydhcp.ipxe}: the script as proxyDHCP hands it to an iPXE that has just configured
 *       its network, without configuring it again ({@link IpxeScript#forConfiguredNetwork()});
 *   <li>for EFI targets {@code ipxe.img}: a FAT image with {@code EFI/BOOT/BOOTX64.EFI} (or {@code
 *       BOOTAA64.EFI}) and {@code /autoexec.ipxe}, which iPXE runs from the medium it booted from, so
 *       the image boots from USB by itself.
 * </ul>
 */
public final class IpxeBuild {
    public static final String SCRIPT_FILE = "script.ipxe";
    public static final String PROXYDHCP_SCRIPT_FILE = "proxydhcp.ipxe";
    public static final String IMAGE_FILE = "ipxe.img";
    public static final String AUTOEXEC_FILE = "autoexec.ipxe";

    private final BootloaderSource source;
    private final ToolRunner tools;

    public IpxeBuild(BootloaderSource source, ToolRunner tools) {
        this.source = source;
        this.tools = tools;
    }

    /** Writes the artifact's files into {@code outputDir} (created if missing) and answers them. */
    public List<Path> build(IpxeTarget target, IpxeScript script, Path outputDir) {
        Path binary = source.ipxe(target);
        try {
            Files.createDirectories(outputDir);
            List<Path> written = new ArrayList<>();
            Path copy = outputDir.resolve(target.artifactFileName());
            Files.copy(binary, copy, StandardCopyOption.REPLACE_EXISTING);
            written.add(copy);
            Path scriptFile = outputDir.resolve(SCRIPT_FILE);
            Files.writeString(scriptFile, script.fileContent(), StandardCharsets.UTF_8);
            written.add(scriptFile);
            if (target.networkBooted()) {
                Path proxyDhcpScript = outputDir.resolve(PROXYDHCP_SCRIPT_FILE);
                Files.writeString(proxyDhcpScript, script.forConfiguredNetwork().fileContent(), StandardCharsets.UTF_8);
                written.add(proxyDhcpScript);
            }
            if (target.efi()) {
                Map<String, Path> files = new LinkedHashMap<>();
                files.put("EFI/BOOT/" + target.efiBootFileName().orElseThrow(), binary);
                files.put(AUTOEXEC_FILE, scriptFile);
                Path image = outputDir.resolve(IMAGE_FILE);
                FatImages.write(tools, image, files);
                written.add(image);
            }
            return List.copyOf(written);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the iPXE artifact into " + outputDir + ": " + e.getMessage(), e);
        }
    }
}
