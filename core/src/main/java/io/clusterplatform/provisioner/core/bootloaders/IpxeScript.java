package io.clusterplatform.provisioner.core.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;

/**
 * The script an iPXE artifact runs when it boots. iPXE only treats a file as a script when it starts
 * with the {@code #!ipxe} magic, so anything else is refused up front.
 */
public record IpxeScript(String text) {
    public static final String MAGIC = "#!ipxe";

    public IpxeScript {
        if (text == null || !text.startsWith(MAGIC)) {
            throw ProblemException.invalid("an iPXE script must start with \"" + MAGIC
                    + "\" on its first line, for example \"#!ipxe\\ndhcp\\nchain http://...\"");
        }
    }

    /** The text as iPXE reads it: ending with a newline. */
    public String fileContent() {
        return text.endsWith("\n") ? text : text + "\n";
    }
}
