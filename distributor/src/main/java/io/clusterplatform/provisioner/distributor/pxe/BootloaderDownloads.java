package io.clusterplatform.provisioner.distributor.pxe;

import io.clusterplatform.provisioner.core.distributors.PxeArchitecture;
import io.clusterplatform.provisioner.core.distributors.PxeBootloader;
import io.clusterplatform.provisioner.core.distributors.protocol.Bootloader;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.distributor.link.ServerLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Fetches iPXE binaries into the TFTP root ({@code <arch>/<file name>}), checks the SHA-256 the server
 * gave, and keeps a file that already has it (so a repeated update downloads nothing). Files are
 * published by rename, readable by all (dnsmasq serves them after dropping root).
 */
public final class BootloaderDownloads {
    /** No iPXE binary comes near this; a larger download is refused. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private final Path tftpRoot;
    private final ServerLink link;

    public BootloaderDownloads(Path tftpRoot, ServerLink link) {
        this.tftpRoot = tftpRoot;
        this.link = link;
    }

    /** The bootloader in place, and one line saying what was done. */
    public record Fetched(PxeBootloader bootloader, String report) {}

    /** Fetches the bootloader of {@code architecture} an update command names (keeping it when it has it). */
    public Fetched fetch(PxeArchitecture architecture, Bootloader source) throws IOException {
        String field = architecture.field() + "Url";
        URI url = URI.create(source.url());
        String name = fileName(url);
        Path dir = tftpRoot.resolve(architecture.directory());
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        String tftpFile = tftpRoot.relativize(target).toString();
        PxeBootloader loader = new PxeBootloader(architecture, tftpFile, source.scriptUrl());
        if (source.sha256() != null
                && Files.isRegularFile(target)
                && source.sha256().equals(sha256(target))) {
            removeOthers(dir, name);
            return new Fetched(loader, tftpFile + ": already present with sha256 " + source.sha256());
        }
        Path partial = dir.resolve("." + name + ".part");
        String sha;
        long size;
        try {
            HttpResponse<InputStream> response = link.download(url);
            MessageDigest digest = sha256();
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw ProblemException.invalid(
                            "cannot download " + field + " " + url + ": HTTP " + response.statusCode());
                }
                try (InputStream in = new DigestInputStream(body, digest);
                        OutputStream out = Files.newOutputStream(partial)) {
                    size = copyLimited(in, out, field);
                }
            }
            sha = HexFormat.of().formatHex(digest.digest());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            if (e instanceof ProblemException) {
                throw e;
            }
            throw ProblemException.invalid("cannot download " + field + " " + url + ": " + e.getMessage());
        }
        if (source.sha256() != null && !source.sha256().equals(sha)) {
            Files.deleteIfExists(partial);
            throw ProblemException.invalid(field + " " + url + " has sha256 " + sha + ", but the server" + " said "
                    + source.sha256() + ": refusing a corrupted or replaced file");
        }
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
        removeOthers(dir, name);
        String check = source.sha256() != null ? "verified against the server's checksum" : "no checksum given";
        return new Fetched(
                loader,
                tftpFile + ": downloaded " + size + " bytes from " + url + ", sha256 " + sha + " (" + check + ")");
    }

    /** The URL's last path segment if it is a plain file name, else {@code ipxe.bin}. */
    static String fileName(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,100}") ? last : "ipxe.bin";
    }

    private static void removeOthers(Path dir, String keep) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals(keep)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static long copyLimited(InputStream in, OutputStream out, String field) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > MAX_BYTES) {
                throw ProblemException.invalid(field + " is larger than " + MAX_BYTES + " bytes: not an iPXE binary");
            }
            out.write(buffer, 0, n);
        }
        return total;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
