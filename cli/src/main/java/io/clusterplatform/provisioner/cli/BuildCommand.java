package io.clusterplatform.provisioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code provisioner build iso|ipxe|grub|syslinux|wait|show}: queue artifact builds on the server and
 * follow them with a progress bar until their files can be downloaded.
 */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = "Build boot artifacts (ISOs, iPXE binaries, GRUB images, syslinux fragments) on the server.",
        subcommands = {
            BuildCommand.Iso.class,
            BuildCommand.Ipxe.class,
            BuildCommand.Grub.class,
            BuildCommand.Syslinux.class,
            BuildCommand.Wait.class,
            BuildCommand.Show.class
        })
class BuildCommand implements Callable<Integer> {
    /** How often a waiting command asks the server for the build's progress. */
    static final long POLL_MILLIS = 500;

    /** Whether stderr is a terminal, so the progress bar is redrawn in place; set by {@link Provisioner#main}. */
    static volatile boolean terminal;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The kinds of build, named as on the command line; the API path is the plural. */
    enum Kind {
        iso,
        ipxe,
        grub,
        syslinux;

        String path() {
            return "/api/" + name() + "s";
        }
    }

    /** A build request: POSTs the body, then prints the id and status, or waits for the files. */
    abstract static class Submit extends ApiCommand {
        @Option(names = "--wait", description = "Wait for the build, showing its progress, and print its files")
        boolean waitForIt;

        abstract Kind kind();

        abstract Map<String, Object> body();

        @Override
        void run(ApiClient client, PrintWriter out) {
            JsonNode queued = client.post(kind().path(), body());
            long id = queued.get("id").asLong();
            if (waitForIt) {
                printFiles(await(client, kind(), id, spec.commandLine().getErr()), out);
            } else {
                out.println(kind() + " " + id + " " + queued.path("status").asText());
            }
        }
    }

    /** The script of an iPXE binary: a file or the text itself. */
    static class ScriptSource {
        @Option(names = "--script-file", paramLabel = "FILE", description = "File holding the iPXE script")
        Path scriptFile;

        @Option(names = "--script", paramLabel = "TEXT", description = "The iPXE script itself (starts with #!ipxe)")
        String script;

        String text() {
            if (script != null) {
                return script;
            }
            try {
                return Files.readString(scriptFile);
            } catch (IOException e) {
                throw new ApiClient.ApiException("cannot read the script file " + scriptFile + ": " + e.getMessage());
            }
        }
    }

    /** What an ISO's iPXE runs: a script, or a mainscript of the server to chain. */
    static class IsoScriptSource extends ScriptSource {
        @Option(
                names = "--mainscript-id",
                paramLabel = "ID",
                description = "Chain this mainscript of the server instead of giving a script")
        Long mainscriptId;
    }

    @Command(
            name = "iso",
            mixinStandardHelpOptions = true,
            description = "Build a bootable ISO (BIOS and UEFI) whose iPXE runs a script or chains a mainscript.")
    static class Iso extends Submit {
        @Option(names = "--label", required = true, description = "The ISO's volume label (at most 32 characters)")
        String label;

        @ArgGroup(exclusive = true, multiplicity = "1")
        IsoScriptSource source;

        @Override
        Kind kind() {
            return Kind.iso;
        }

        @Override
        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("label", label);
            if (source.mainscriptId != null) {
                body.put("mainscriptId", source.mainscriptId);
            } else {
                body.put("script", source.text());
            }
            return body;
        }
    }

    @Command(name = "ipxe", mixinStandardHelpOptions = true, description = "Build an iPXE binary bound to a script.")
    static class Ipxe extends Submit {
        @Option(
                names = "--platform",
                required = true,
                description = "bin-x86_64-efi, bin-x86_64-pcbios, bin or bin-arm64-efi")
        String platform;

        @Option(names = "--driver", defaultValue = "ipxe", description = "The driver (default ${DEFAULT-VALUE})")
        String driver;

        @Option(names = "--extension", required = true, description = "efi, kpxe or lkrn")
        String extension;

        @ArgGroup(exclusive = true, multiplicity = "1")
        ScriptSource source;

        @Override
        Kind kind() {
            return Kind.ipxe;
        }

        @Override
        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("script", source.text());
            body.put("platform", platform);
            body.put("driver", driver);
            body.put("extension", extension);
            return body;
        }
    }

    @Command(
            name = "grub",
            mixinStandardHelpOptions = true,
            description = "Build a GRUB EFI fragment that finds the ISO by its label.")
    static class Grub extends Submit {
        @Option(names = "--label", required = true, description = "The volume label GRUB searches for")
        String label;

        @Option(names = "--architecture", required = true, description = "x64 (64-bit UEFI) or x86 (32-bit UEFI)")
        String architecture;

        @Option(names = "--fragment", required = true, description = "img (a FAT image) or efi (a zip of EFI/BOOT)")
        String fragment;

        @Option(names = "--platform", defaultValue = "x86_64-efi", description = "Default ${DEFAULT-VALUE}")
        String platform;

        @Option(names = "--extension", defaultValue = "efi", description = "Default ${DEFAULT-VALUE}")
        String extension;

        @Override
        Kind kind() {
            return Kind.grub;
        }

        @Override
        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("label", label);
            body.put("platform", platform);
            body.put("architecture", architecture);
            body.put("extension", extension);
            body.put("fragment", fragment);
            return body;
        }
    }

    @Command(
            name = "syslinux",
            mixinStandardHelpOptions = true,
            description = "Copy a syslinux fragment from the server's system.")
    static class Syslinux extends Submit {
        @Option(names = "--fragment", required = true, description = "ldlinux.c32, isolinux.bin or isohdpfx.bin")
        String fragment;

        @Override
        Kind kind() {
            return Kind.syslinux;
        }

        @Override
        Map<String, Object> body() {
            return Map.of("fragment", fragment);
        }
    }

    @Command(
            name = "wait",
            mixinStandardHelpOptions = true,
            description = "Wait for a build, showing its progress, and print its files.")
    static class Wait extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KIND", description = "${COMPLETION-CANDIDATES}")
        Kind kind;

        @Parameters(index = "1", paramLabel = "ID", description = "The build's id")
        long id;

        @Override
        void run(ApiClient client, PrintWriter out) {
            printFiles(await(client, kind, id, spec.commandLine().getErr()), out);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a build's status and files.")
    static class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KIND", description = "${COMPLETION-CANDIDATES}")
        Kind kind;

        @Parameters(index = "1", paramLabel = "ID", description = "The build's id")
        long id;

        @Override
        void run(ApiClient client, PrintWriter out) {
            JsonNode build = client.get(kind.path() + "/" + id);
            out.println("id:       " + build.path("id").asText());
            out.println("status:   " + build.path("status").asText());
            out.println("progress: " + build.path("progress").asInt() + "%"
                    + (build.hasNonNull("progressMessage")
                            ? "  " + build.get("progressMessage").asText()
                            : ""));
            if (build.hasNonNull("error")) {
                out.println("error:    " + build.get("error").asText());
            }
            if (build.hasNonNull("url")) {
                out.println("url:      " + build.get("url").asText());
            }
            for (JsonNode file : build.path("files")) {
                printFile(file, out);
            }
        }
    }

    /**
     * Polls the build until it ends, drawing its progress on {@code err}; answers the build when done and
     * throws with its error when it failed or was cancelled.
     */
    static JsonNode await(ApiClient client, Kind kind, long id, PrintWriter err) {
        ProgressBar bar = new ProgressBar(err, terminal);
        while (true) {
            JsonNode build = client.get(kind.path() + "/" + id);
            String status = build.path("status").asText();
            bar.show(
                    build.path("progress").asInt(),
                    build.path("progressMessage").asText(status));
            switch (status) {
                case "done" -> {
                    bar.end();
                    return build;
                }
                case "failed", "cancelled" -> {
                    bar.end();
                    String error = build.hasNonNull("error")
                            ? ": " + build.get("error").asText()
                            : "";
                    throw new ApiClient.ApiException(kind + " " + id + " " + status + error);
                }
                default -> sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiClient.ApiException("interrupted");
        }
    }

    /** The primary download URL, then one line per file: name, size and sha256. */
    static void printFiles(JsonNode build, PrintWriter out) {
        out.println(build.path("url").asText());
        for (JsonNode file : build.path("files")) {
            printFile(file, out);
        }
    }

    private static void printFile(JsonNode file, PrintWriter out) {
        out.printf(
                "%-24s %12d  %s%n",
                file.path("name").asText(),
                file.path("size").asLong(),
                file.path("sha256").asText());
    }

    /** {@code [#########...........]  45%  message}: redrawn in place on a terminal, one line per change otherwise. */
    static final class ProgressBar {
        static final int WIDTH = 20;
        private final PrintWriter err;
        private final boolean redraw;
        private String last;
        private int lastLength;

        ProgressBar(PrintWriter err, boolean redraw) {
            this.err = err;
            this.redraw = redraw;
        }

        static String line(int percent, String message) {
            int clamped = Math.max(0, Math.min(100, percent));
            int filled = clamped * WIDTH / 100;
            return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]" + String.format("%4d%%", clamped)
                    + (message == null || message.isBlank() ? "" : "  " + message);
        }

        void show(int percent, String message) {
            String line = line(percent, message);
            if (Objects.equals(line, last)) {
                return;
            }
            if (redraw) {
                err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
            } else {
                err.println(line);
            }
            err.flush();
            last = line;
            lastLength = line.length();
        }

        void end() {
            if (redraw && last != null) {
                err.println();
                err.flush();
            }
        }
    }
}
