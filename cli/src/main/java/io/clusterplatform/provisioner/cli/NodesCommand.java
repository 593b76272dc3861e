package io.clusterplatform.provisioner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code provisioner nodes list|show|run|timeline}: localnodes, their health and scripts run on them. */
@Command(
        name = "nodes",
        mixinStandardHelpOptions = true,
        description = "Localnodes: list them with their health, show one, run a script on one, read its timeline.",
        subcommands = {
            NodesCommand.ListNodes.class,
            NodesCommand.Show.class,
            NodesCommand.Run.class,
            NodesCommand.Timeline.class
        })
class NodesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List localnodes with health and last seen.")
    static class ListNodes extends ApiCommand {
        @Option(names = "--artifact-id", description = "Only the nodes of this artifactId.")
        String artifactId;

        @Override
        void run(ApiClient client, PrintWriter out) {
            String query = "/api/localnodes?pageSize=100&sort=id"
                    + (artifactId == null ? "" : "&searchFields=artifactId&search=" + encode(artifactId));
            JsonNode page = client.get(query);
            out.printf("%-6s %-16s %-32s %-8s %s%n", "ID", "IP", "ARTIFACTID", "HEALTH", "LAST SEEN");
            for (JsonNode node : page.get("rows")) {
                out.printf(
                        "%-6s %-16s %-32s %-8s %s%n",
                        node.get("id").asText(),
                        node.get("ip").asText(),
                        node.get("artifactId").asText(),
                        node.path("health").asText("-"),
                        node.path("lastSeen").asText("-"));
            }
            if (page.get("total").asLong() > page.get("rows").size()) {
                out.printf(
                        "(%d of %d; narrow with --artifact-id)%n",
                        page.get("rows").size(), page.get("total").asLong());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one node, its health and host key.")
    static class Show extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The node's id, from 'provisioner nodes list'")
        long id;

        @Override
        void run(ApiClient client, PrintWriter out) {
            JsonNode node = client.get("/api/localnodes/" + id);
            node.fields().forEachRemaining(f -> out.printf("%-14s %s%n", f.getKey() + ":", text(f.getValue())));
            JsonNode key = client.get("/api/localnodes/" + id + "/hostkey");
            out.printf("%-14s %s%n", "hostKey:", text(key.get("hostKey")));
        }
    }

    /** The script: given as text, read from a file, or from standard input ({@code -}). */
    static class ScriptSource {
        @Option(names = "--script", description = "The script's text.")
        String text;

        @Option(names = "--script-file", description = "A file holding the script; - reads standard input.")
        String file;

        String read() {
            if (text != null) {
                return text;
            }
            try {
                return file.equals("-")
                        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the script from " + file, e);
            }
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Run a script on a node over SSH through its distributor, print its output as it arrives (stdout"
                        + " and stderr to ours) and exit with its exit code (255 when it could not run)."
            })
    static class Run extends ApiCommand {
        /** Like ssh: the exit code when the script could not run to its end. */
        static final int NOT_RUN = 255;

        @Parameters(paramLabel = "ID", description = "The node's id")
        long id;

        @ArgGroup(multiplicity = "1")
        ScriptSource script;

        @Option(names = "--user", description = "Log in as this user (default: root).")
        String user;

        @Option(names = "--timeout", description = "Seconds before the script is stopped (default 300, at most 3600).")
        Integer timeoutSeconds;

        @Option(
                names = "--private-key-file",
                description = "Log in with this private key instead of the artifact's key in /api/sshkeys.")
        Path privateKeyFile;

        @Override
        int execute(ApiClient client, PrintWriter out) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("script", script.read());
            if (user != null) {
                body.put("user", user);
            }
            if (timeoutSeconds != null) {
                body.put("timeoutSeconds", timeoutSeconds);
            }
            if (privateKeyFile != null) {
                try {
                    body.put("privateKey", Files.readString(privateKeyFile));
                } catch (IOException e) {
                    throw new ApiClient.ApiException(
                            "cannot read --private-key-file " + privateKeyFile + ": " + e.getMessage());
                }
            }
            long runId = client.put("/api/localnodes/" + id + "/script", body)
                    .get("id")
                    .asLong();
            PrintWriter err = spec.commandLine().getErr();
            int stdout = 0;
            int stderr = 0;
            while (true) {
                JsonNode part = client.get("/api/scriptruns/" + runId + "/output?stdoutOffset=" + stdout
                        + "&stderrOffset=" + stderr + "&wait=25s");
                out.print(part.get("stdout").asText());
                out.flush();
                err.print(part.get("stderr").asText());
                err.flush();
                stdout = part.get("stdoutOffset").asInt();
                stderr = part.get("stderrOffset").asInt();
                String status = part.get("status").asText();
                if (status.equals("done")) {
                    return part.get("exitCode").asInt();
                }
                if (status.equals("failed")) {
                    JsonNode run = client.get("/api/scriptruns/" + runId);
                    err.println("error: run " + runId + " failed: "
                            + run.path("error").asText());
                    return NOT_RUN;
                }
            }
        }
    }

    @Command(
            name = "timeline",
            mixinStandardHelpOptions = true,
            description =
                    "A node's boot timeline: DHCP and TFTP, what it fetched, registration, liveness, script runs.")
    static class Timeline extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The node's id")
        long id;

        @Override
        void run(ApiClient client, PrintWriter out) {
            JsonNode timeline = client.get("/api/localnodes/" + id + "/timeline");
            for (JsonNode entry : timeline.get("entries")) {
                out.printf(
                        "%-30s %-12s %-12s %s%n",
                        entry.get("at").asText(),
                        entry.path("source").asText(),
                        entry.get("kind").asText(),
                        entry.path("summary").asText());
            }
        }
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "-" : value.isValueNode() ? value.asText() : value.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
