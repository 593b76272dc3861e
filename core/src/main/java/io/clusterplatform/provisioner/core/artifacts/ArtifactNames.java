package io.clusterplatform.provisioner.core.artifacts;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules for names in the artifact store. A file name is one plain path segment: it starts with a
 * letter or digit and holds only letters, digits, {@code .}, {@code _}, {@code +} and {@code -}, so it
 * can never be {@code ..}, a hidden file, an absolute path or carry a separator or NUL. Artifact ids
 * are UUIDs in their canonical form.
 */
public final class ArtifactNames {
    public static final int MAX_FILE_NAME_LENGTH = 255;
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ArtifactNames() {}

    /** {@code name} if it is a valid file name, else a 400 problem saying which rule it breaks. */
    public static String requireFileName(String name) {
        if (name == null || name.isEmpty()) {
            throw ProblemException.invalid("an artifact file name must not be empty");
        }
        if (name.length() > MAX_FILE_NAME_LENGTH) {
            throw ProblemException.invalid("artifact file name is too long (" + name.length() + " characters, at most "
                    + MAX_FILE_NAME_LENGTH + ")");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            throw ProblemException.invalid(
                    "artifact file name '" + printable(name) + "' must be a single name without '/' or '\\'");
        }
        if (name.indexOf('\0') >= 0) {
            throw ProblemException.invalid("artifact file name '" + printable(name) + "' must not contain NUL");
        }
        if (name.startsWith(".")) {
            throw ProblemException.invalid("artifact file name '" + printable(name)
                    + "' must not start with '.' (no '.', '..' or hidden files)");
        }
        if (!FILE_NAME.matcher(name).matches()) {
            throw ProblemException.invalid("artifact file name '" + printable(name)
                    + "' may only hold letters, digits, '.', '_', '+' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** The artifact id in {@code text} (a UUID such as {@code bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b}), or a 400 problem. */
    public static UUID parseArtifactId(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ProblemException.invalid("artifact id '" + printable(text)
                    + "' must be a UUID such as bffaf7bb-b52f-4b19-99ba-d7d4fa25b28b");
        }
        return UUID.fromString(text.toLowerCase(Locale.ROOT));
    }

    /**
     * The artifact id under which the boot asset {@code name} is stored: one artifact per name, the
     * same on every server (a name-based UUID), so {@code /assets/<name>} needs no lookup of its id.
     */
    public static UUID assetId(String name) {
        return UUID.nameUUIDFromBytes(("asset:" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** The media type a download of {@code fileName} is served with, by its extension. */
    public static String contentType(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".iso")) {
            return "application/x-iso9660-image";
        }
        if (lower.endsWith(".zip")) {
            return "application/zip";
        }
        return "application/octet-stream";
    }

    /** {@code text} safe to echo in a message: control characters escaped, cut after 80 characters. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > 80) {
            out.append("...");
        }
        return out.toString();
    }
}
