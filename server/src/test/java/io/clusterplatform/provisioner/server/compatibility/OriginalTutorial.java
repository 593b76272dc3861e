package io.clusterplatform.provisioner.server.compatibility;

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
 * The requests of the original Cluster Platform Provisioner's curl tutorial, word for word, by the
 * comment that introduces each one, e.g. {@code "Create Mainscript"}. They are our own fixture,
 * {@code src/test/resources/original-api/tutorial.txt}: a line {@code # <title>} and the shell text
 * after it; lines starting with {@code ##} are notes. The tests run them unchanged apart from host and
 * port and the operator token: the original REST API is our contract (docs/COMPATIBILITY.md).
 */
public final class OriginalTutorial {
    /** Where the original tutorial sends its requests; the tests replace it with our server's URL. */
    public static final String ORIGINAL_HOST = "http://services.provisioner.sandbox.cloud.alphahorizon.io:30002";

    private static final String FIXTURE = "/original-api/tutorial.txt";
    private final Map<String, List<String>> commands;

    private OriginalTutorial(Map<String, List<String>> commands) {
        this.commands = commands;
    }

    public static OriginalTutorial load() {
        try (InputStream in = OriginalTutorial.class.getResourceAsStream(FIXTURE)) {
            if (in == null) {
                throw new IllegalStateException("the fixture " + FIXTURE + " is missing from src/test/resources");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OriginalTutorial parse(String fixture) {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        String title = null;
        List<String> lines = new ArrayList<>();
        for (String line : (fixture + "\n# ").split("\n", -1)) {
            if (line.startsWith("##")) {
                continue;
            }
            if (line.startsWith("# ")) {
                if (title != null) {
                    commands.computeIfAbsent(title, t -> new ArrayList<>())
                            .add(String.join("\n", lines).trim());
                }
                title = line.substring(2).trim();
                lines.clear();
                continue;
            }
            lines.add(line);
        }
        return new OriginalTutorial(commands);
    }

    /** The shell text of the command introduced by {@code # title} (the first one, if repeated). */
    public String command(String title) {
        return command(title, 1);
    }

    /** The {@code occurrence}-th command with this title (the tutorial repeats some, e.g. "Get UEFI iPXE status"). */
    public String command(String title, int occurrence) {
        List<String> found = commands.get(title);
        if (found == null || found.size() < occurrence) {
            throw new NoSuchElementException("no command '" + title + "' (#" + occurrence
                    + ") in the original tutorial; known: " + commands.keySet());
        }
        return found.get(occurrence - 1);
    }

    /** How many requests the fixture holds (with repeated titles counted each time). */
    public int size() {
        return commands.values().stream().mapToInt(List::size).sum();
    }

    /** The command pointed at our server, with the operator token added to every curl if given. */
    public String commandFor(String title, int occurrence, String baseUrl, String token) {
        String command = command(title, occurrence).replace(ORIGINAL_HOST, baseUrl);
        String auth = token == null ? "" : "-H 'Authorization: Bearer " + token + "' ";
        return command.replaceAll("(?m)^curl ", "curl -sS -w '\\\\n%{http_code}' " + auth.replace("\\", "\\\\"));
    }
}
