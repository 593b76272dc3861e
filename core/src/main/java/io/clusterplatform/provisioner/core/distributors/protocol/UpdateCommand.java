package io.clusterplatform.provisioner.core.distributors.protocol;

import io.clusterplatform.provisioner.core.distributors.DistributorRules;
import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * New settings for a distributor: the bootloaders to serve, by architecture, and the device and range
 * its proxyDHCP serves. Payload: the original API's five fields ({@code ipxePxeUefiUrl}, {@code
 * ipxePxeBiosUrl}, {@code artifactId}, {@code device}, {@code range}) and, per architecture, {@code
 * <field>Url}, {@code <field>Sha256} and {@code <field>ScriptUrl} with the architecture's {@link
 * PxeArchitecture#field()}; absent values are left out.
 */
public record UpdateCommand(
        String artifactId, String device, String range, Map<PxeArchitecture, Bootloader> bootloaders)
        implements AgentCommand {

    /** The architectures whose URL is one of the original API's fields, written first and in this order. */
    private static final List<PxeArchitecture> ORIGINAL_ARCHITECTURES =
            List.of(PxeArchitecture.UEFI_X64, PxeArchitecture.BIOS);

    public UpdateCommand {
        EnumMap<PxeArchitecture, Bootloader> copy = new EnumMap<>(PxeArchitecture.class);
        if (bootloaders != null) {
            copy.putAll(bootloaders);
        }
        bootloaders = Collections.unmodifiableMap(copy);
    }

    @Override
    public CommandKind kind() {
        return CommandKind.UPDATE;
    }

    /**
     * The payload, in the order of the previous release: the original API's fields, then the checksum and
     * script of its two architectures, then each further architecture's three fields.
     */
    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (PxeArchitecture arch : ORIGINAL_ARCHITECTURES) {
            put(fields, arch.field() + "Url", url(arch));
        }
        put(fields, "artifactId", artifactId);
        put(fields, "device", device);
        put(fields, "range", range);
        for (PxeArchitecture arch : wireOrder()) {
            Bootloader loader = bootloaders.get(arch);
            if (!ORIGINAL_ARCHITECTURES.contains(arch)) {
                put(fields, arch.field() + "Url", url(arch));
            }
            if (loader != null) {
                put(fields, arch.field() + "Sha256", loader.sha256());
                put(fields, arch.field() + "ScriptUrl", loader.scriptUrl());
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    /** Reads a payload as it came, without checking it (see {@link #requireValid()}). */
    public static UpdateCommand fromFields(Map<String, ?> fields) {
        Map<PxeArchitecture, Bootloader> loaders = new EnumMap<>(PxeArchitecture.class);
        for (PxeArchitecture arch : PxeArchitecture.values()) {
            String url = text(fields, arch.field() + "Url");
            if (url != null) {
                loaders.put(
                        arch,
                        new Bootloader(
                                url, text(fields, arch.field() + "Sha256"), text(fields, arch.field() + "ScriptUrl")));
            }
        }
        return new UpdateCommand(text(fields, "artifactId"), text(fields, "device"), text(fields, "range"), loaders);
    }

    /**
     * This command once checked as an agent must before it changes anything: a device name, an IPv4
     * range, at least one bootloader, http(s) URLs and checksums in hex (returned in lower case).
     *
     * @throws ProblemException (400) naming the first field that is wrong
     */
    public UpdateCommand requireValid() {
        DistributorRules.requireDevice("device", device);
        DistributorRules.requireIpv4("range", range);
        Map<PxeArchitecture, Bootloader> checked = new EnumMap<>(PxeArchitecture.class);
        bootloaders.forEach((arch, loader) -> {
            DistributorRules.requireHttpUrl(arch.field() + "Url", loader.url());
            String sha = loader.sha256();
            if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
                throw ProblemException.invalid("'" + arch.field() + "Sha256' is not a SHA-256 in hex: " + sha);
            }
            checked.put(
                    arch,
                    new Bootloader(
                            loader.url(), sha == null ? null : sha.toLowerCase(Locale.ROOT), loader.scriptUrl()));
        });
        if (checked.isEmpty()) {
            throw ProblemException.invalid("the update names no bootloader: give ipxePxeBiosUrl or ipxePxeUefiUrl");
        }
        return new UpdateCommand(artifactId, device, range, checked);
    }

    private String url(PxeArchitecture arch) {
        Bootloader loader = bootloaders.get(arch);
        return loader == null ? null : loader.url();
    }

    /**
     * The order in which the payload names the architectures: the original API's ({@code ipxePxeUefi}, {@code
     * ipxePxeBios}) first, then the others in declaration order.
     */
    public static List<PxeArchitecture> wireOrder() {
        List<PxeArchitecture> order = new ArrayList<>(ORIGINAL_ARCHITECTURES);
        for (PxeArchitecture arch : PxeArchitecture.values()) {
            if (!order.contains(arch)) {
                order.add(arch);
            }
        }
        return order;
    }

    private static void put(Map<String, Object> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    private static String text(Map<String, ?> fields, String name) {
        Object value = fields.get(name);
        return value == null ? null : value.toString();
    }
}
