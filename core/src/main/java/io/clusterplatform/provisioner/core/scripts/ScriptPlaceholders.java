package io.clusterplatform.provisioner.core.scripts;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders that let stored scripts name this server and the node's site without hard-coding
 * them: {@code {{server}}} (the server's public URL, e.g. {@code http://192.0.2.5:8080}) and
 * {@code {{artifactId}}} (the {@code artifactId} the host passed when it fetched the script). The
 * double braces collide with neither iPXE's nor the shell's {@code ${...}}, nor with a shell's
 * brace expansion (which needs a comma). Unknown names are left as they are.
 */
public final class ScriptPlaceholders {
    public static final String SERVER = "server";
    public static final String ARTIFACT_ID = "artifactId";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9]*)\\s*}}");

    private ScriptPlaceholders() {}

    /** The text with each known placeholder replaced by its value (a missing value becomes empty). */
    public static String fill(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String name = m.group(1);
            String replacement = isKnown(name) ? values.getOrDefault(name, "") : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement == null ? "" : replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isKnown(String name) {
        return SERVER.equals(name) || ARTIFACT_ID.equals(name);
    }
}
