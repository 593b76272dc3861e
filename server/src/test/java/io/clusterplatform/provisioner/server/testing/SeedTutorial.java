package io.clusterplatform.provisioner.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The curl commands of the seed's tutorial (a verbatim copy of the seed lives in
 * {@code src/test/resources/seed/}), by the comment that introduces each one, e.g.
 * {@code "Create Mainscript"}. The tests run them unchanged apart from host and port and the
 * operator token: the seed's REST API is our contract.
 */
public final class SeedTutorial {
    public static final String SEED_HOST = "http://services.provisioner.sandbox.cloud.alphahorizon.io:30002";
    private final Map<String, List<String>> commands;

    private SeedTutorial(Map<String, List<String>> commands) {
        this.commands = commands;
    }

    public static SeedTutorial load() {
        try (InputStream in = SeedTutorial.class.getResourceAsStream("/seed/cluster-platform-provisioner.md")) {
            if (in == null) {
                throw new IllegalStateException("the seed copy is missing from src/test/resources/seed");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SeedTutorial parse(String markdown) {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        boolean inBash = false;
        String title = null;
        List<String> lines = new ArrayList<>();
        for (String line : markdown.split("\n", -1)) {
            if (!inBash) {
                inBash = line.trim().equals("```bash");
                continue;
            }
            boolean end = line.trim().equals("```");
            if (end || line.startsWith("# ")) {
                if (title != null) {
                    commands.computeIfAbsent(title, t -> new ArrayList<>())
                            .add(String.join("\n", lines).trim());
                }
                title = end ? null : line.substring(2).trim();
                lines.clear();
                inBash = !end;
                continue;
            }
            lines.add(line);
        }
        return new SeedTutorial(commands);
    }

    /** The shell text of the command introduced by {@code # title} (the first one, if repeated). */
    public String command(String title) {
        return command(title, 1);
    }

    /** The {@code occurrence}-th command with this title (the seed repeats some, e.g. "Get UEFI iPXE status"). */
    public String command(String title, int occurrence) {
        List<String> found = commands.get(title);
        if (found == null || found.size() < occurrence) {
            throw new NoSuchElementException(
                    "no command '" + title + "' (#" + occurrence + ") in the seed; known: " + commands.keySet());
        }
        return found.get(occurrence - 1);
    }

    /** The command pointed at our server, with the operator token added to every curl if given. */
    public String commandFor(String title, int occurrence, String baseUrl, String token) {
        String command = command(title, occurrence).replace(SEED_HOST, baseUrl);
        String auth = token == null ? "" : "-H 'Authorization: Bearer " + token + "' ";
        return command.replaceAll("(?m)^curl ", "curl -sS -w '\\\\n%{http_code}' " + auth.replace("\\", "\\\\"));
    }
}
