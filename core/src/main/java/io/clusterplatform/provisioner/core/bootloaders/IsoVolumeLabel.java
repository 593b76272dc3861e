package io.clusterplatform.provisioner.core.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.regex.Pattern;

/**
 * The volume id of an ISO image, which GRUB searches for to find the medium it booted from. An
 * ISO9660 volume id holds at most 32 characters; this allows the ones every tool on the way (xorriso,
 * GRUB's {@code search --label}, firmware menus) keeps as they are: ASCII letters, digits, space,
 * {@code _ . -}, without space at either end. The original API's "Cluster Platform Provisioner ISO" fits.
 */
public record IsoVolumeLabel(String value) {
    public static final int MAX_LENGTH = 32;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.-]([A-Za-z0-9 _.-]*[A-Za-z0-9_.-])?");

    public IsoVolumeLabel {
        if (value == null || value.isEmpty()) {
            throw ProblemException.invalid("'label' is required: the volume id of the ISO the bootloader looks for");
        }
        if (value.length() > MAX_LENGTH) {
            throw ProblemException.invalid("'label' \"" + value + "\" has " + value.length()
                    + " characters; an ISO9660 volume id holds at most " + MAX_LENGTH);
        }
        if (!ALLOWED.matcher(value).matches()) {
            throw ProblemException.invalid("'label' \"" + value
                    + "\" cannot be an ISO9660 volume id: use ASCII letters, digits, space, '_', '.' and '-'"
                    + " (no space at either end)");
        }
    }

    /** The label as a double-quoted GRUB script word, escaping what GRUB would expand. */
    public String grubQuoted() {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\' || c == '$') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').toString();
    }

    @Override
    public String toString() {
        return value;
    }
}
