package io.clusterplatform.provisioner.server.isos;

import io.clusterplatform.provisioner.core.artifacts.ArtifactKind;
import io.clusterplatform.provisioner.core.bootloaders.IpxeScript;
import io.clusterplatform.provisioner.core.bootloaders.IpxeTarget;
import io.clusterplatform.provisioner.core.bootloaders.IsoVolumeLabel;
import io.clusterplatform.provisioner.core.bootloaders.SyslinuxFragment;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.server.artifacts.ArtifactStaging;
import io.clusterplatform.provisioner.server.artifacts.OwnArtifacts;
import io.clusterplatform.provisioner.server.artifacts.StoredFile;
import io.clusterplatform.provisioner.server.bootloaders.BootloaderSource;
import io.clusterplatform.provisioner.server.bootloaders.IpxeBuild;
import io.clusterplatform.provisioner.server.builds.BuildKind;
import io.clusterplatform.provisioner.server.builds.BuildRequestContext;
import io.clusterplatform.provisioner.server.builds.FragmentFetcher;
import io.clusterplatform.provisioner.server.jobs.JobContext;
import io.clusterplatform.provisioner.server.registries.TextRegistry;
import io.clusterplatform.provisioner.server.registries.TextRegistryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.springframework.stereotype.Component;

/** Hybrid ISOs that boot BIOS and UEFI hosts from CD and from USB into the given iPXE script. */
@Component
class IsoKind implements BuildKind<IsoSpec> {
    static final String ISO_FILE = "dist.iso";

    private final IsoBuild iso;
    private final BootloaderSource bootloaders;
    private final FragmentFetcher fetcher;
    private final OwnArtifacts own;
    private final TextRegistryStore registries;

    IsoKind(
            IsoBuild iso,
            BootloaderSource bootloaders,
            FragmentFetcher fetcher,
            OwnArtifacts own,
            TextRegistryStore registries) {
        this.iso = iso;
        this.bootloaders = bootloaders;
        this.fetcher = fetcher;
        this.own = own;
        this.registries = registries;
    }

    @Override
    public ArtifactKind artifactKind() {
        return ArtifactKind.ISOS;
    }

    @Override
    public Class<IsoSpec> specType() {
        return IsoSpec.class;
    }

    @Override
    public IsoSpec fromForm(Map<String, String> form) {
        String mainscriptId = form.getOrDefault("mainscriptId", "");
        return new IsoSpec(
                form.getOrDefault("label", ""),
                null,
                mainscriptId(mainscriptId),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    @Override
    public IsoSpec validate(IsoSpec spec, BuildRequestContext request) {
        String label = new IsoVolumeLabel(spec.label()).value();
        if (spec.script() != null && spec.mainscriptId() != null) {
            throw ProblemException.invalid("give either 'script' or 'mainscriptId', not both");
        }
        String script = spec.script();
        if (spec.mainscriptId() != null) {
            if (registries.find(TextRegistry.MAINSCRIPTS, spec.mainscriptId()).isEmpty()) {
                throw ProblemException.invalid("'mainscriptId': mainscript " + spec.mainscriptId() + " does not exist");
            }
            script = IpxeScript.chainingMainscript(request.baseUrl(), spec.mainscriptId())
                    .text();
        }
        if (script != null) {
            new IpxeScript(script);
        }
        String[][] urls = {
            {"ipxeUefiUrl", spec.ipxeUefiUrl()},
            {"ipxeBiosUrl", spec.ipxeBiosUrl()},
            {"grubImgUrl", spec.grubImgUrl()},
            {"grubEfiX64Url", spec.grubEfiX64Url()},
            {"grubEfiX86Url", spec.grubEfiX86Url()},
            {"ldLinuxUrl", spec.ldLinuxUrl()},
            {"isolinuxBinUrl", spec.isolinuxBinUrl()},
            {"isohdpfxBinUrl", spec.isohdpfxBinUrl()}
        };
        for (String[] url : urls) {
            if (url[1] != null) {
                FragmentFetcher.requireUrl(url[0], url[1]);
            }
        }
        if (script == null && spec.ipxeUefiUrl() == null && spec.ipxeBiosUrl() == null) {
            throw ProblemException.invalid("an ISO needs what to boot: a 'script', a 'mainscriptId', or the iPXE"
                    + " fragments 'ipxeUefiUrl' and 'ipxeBiosUrl' (as in the original API)");
        }
        return new IsoSpec(
                label,
                script,
                spec.mainscriptId(),
                spec.ipxeUefiUrl(),
                spec.ipxeBiosUrl(),
                spec.grubImgUrl(),
                spec.grubEfiX64Url(),
                spec.grubEfiX86Url(),
                spec.ldLinuxUrl(),
                spec.isolinuxBinUrl(),
                spec.isohdpfxBinUrl(),
                request.baseUrl());
    }

    @Override
    public String primaryFile(IsoSpec spec) {
        return ISO_FILE;
    }

    @Override
    public void build(IsoSpec spec, ArtifactStaging staging, JobContext job) throws IOException {
        // Scratch space inside the staging area: removed below before the files are published, and
        // removed with the staging area by the store's cleanup if this process dies mid-build.
        Path work = Files.createTempDirectory(staging.file(ISO_FILE).getParent(), ".work-");
        try {
            job.progress(5, "gathering the fragments");
            Path inputs = Files.createDirectories(work.resolve("inputs"));
            Path efi = fragment(
                    job,
                    "ipxeUefiUrl",
                    spec.ipxeUefiUrl(),
                    inputs,
                    "ipxe.efi",
                    () -> bootloaders.ipxe(IpxeTarget.X86_64_EFI));
            Path lkrn = fragment(
                    job,
                    "ipxeBiosUrl",
                    spec.ipxeBiosUrl(),
                    inputs,
                    "ipxe.lkrn",
                    () -> bootloaders.ipxe(IpxeTarget.LKRN));
            Path isolinux = fragment(
                    job,
                    "isolinuxBinUrl",
                    spec.isolinuxBinUrl(),
                    inputs,
                    "isolinux.bin",
                    () -> bootloaders.syslinux(SyslinuxFragment.ISOLINUX_BIN));
            Path ldlinux = fragment(
                    job,
                    "ldLinuxUrl",
                    spec.ldLinuxUrl(),
                    inputs,
                    "ldlinux.c32",
                    () -> bootloaders.syslinux(SyslinuxFragment.LDLINUX_C32));
            Path isohdpfx = fragment(
                    job,
                    "isohdpfxBinUrl",
                    spec.isohdpfxBinUrl(),
                    inputs,
                    "isohdpfx.bin",
                    () -> bootloaders.syslinux(SyslinuxFragment.ISOHDPFX_BIN));
            Path grubImg = optionalFragment(job, "grubImgUrl", spec.grubImgUrl(), inputs, "grub.img");
            Path grubX64 = grubFromZip(job, "grubEfiX64Url", spec.grubEfiX64Url(), inputs, "grubx64");
            Path grubX86 = grubFromZip(job, "grubEfiX86Url", spec.grubEfiX86Url(), inputs, "grubia32");
            Path script = script(spec, inputs);
            job.progress(20, "laying out the image");
            IsoLayout layout = new IsoLayout(
                    spec.label(), lkrn, efi, script, isolinux, ldlinux, isohdpfx, grubImg, grubX64, grubX86);
            iso.build(layout, work, staging.file(ISO_FILE), (percent, message) -> {
                job.progress(20 + percent * 65 / 100, message);
                job.log(message);
            });
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * The script: given, or the one beside our own iPXE artifact named by ipxeUefiUrl (or ipxeBiosUrl),
     * or none; with {@code {{server}}} filled in as {@code /ipxes} builds do.
     */
    private Path script(IsoSpec spec, Path inputs) throws IOException {
        Path file = inputs.resolve("script.ipxe");
        String text = spec.script();
        for (String url : new String[] {spec.ipxeUefiUrl(), spec.ipxeBiosUrl()}) {
            if (text != null || url == null) {
                continue;
            }
            Optional<StoredFile> sibling = own.find(url).flatMap(binary -> own.sibling(binary, IpxeBuild.SCRIPT_FILE));
            if (sibling.isPresent()) {
                fetcher.copy(sibling.get(), file);
                text = Files.readString(file, StandardCharsets.UTF_8);
            }
        }
        if (text == null) {
            return null;
        }
        Files.writeString(
                file, new IpxeScript(text).withServer(spec.serverUrl()).fileContent(), StandardCharsets.UTF_8);
        return file;
    }

    private interface Default {
        Path get();
    }

    private Path fragment(JobContext job, String field, String url, Path inputs, String name, Default fallback)
            throws IOException {
        if (url == null) {
            job.log(field + ": built from the system's bootloaders");
            return fallback.get();
        }
        return optionalFragment(job, field, url, inputs, name);
    }

    private Path optionalFragment(JobContext job, String field, String url, Path inputs, String name)
            throws IOException {
        if (url == null) {
            return null;
        }
        job.checkCancelled();
        Path target = inputs.resolve(name);
        job.log(field + ": fetching " + url);
        fetcher.fetch(field, url, target);
        return target;
    }

    /** The EFI binary inside a {@code grub.zip} from {@code /grubs}. */
    private Path grubFromZip(JobContext job, String field, String url, Path inputs, String name) throws IOException {
        Path zip = optionalFragment(job, field, url, inputs, name + ".zip");
        if (zip == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                if (!entry.isDirectory() && entry.getName().toUpperCase().endsWith(".EFI")) {
                    Path efi = inputs.resolve(name + ".efi");
                    Files.copy(entries, efi);
                    return efi;
                }
            }
        }
        throw ProblemException.invalid("'" + field + "' (" + url + ") is not a zip holding a GRUB .efi file");
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static Long mainscriptId(String value) {
        if (value.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("'mainscriptId' must be the number of a mainscript, got '" + value + "'");
        }
    }
}
