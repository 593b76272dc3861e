package io.clusterplatform.provisioner.core.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.scripts.ScriptPlaceholders;
import java.util.Map;

/**
 * The script an iPXE artifact runs when it boots. iPXE only treats a file as a script when it starts
 * with the {@code #!ipxe} magic, so anything else is refused up front.
 */
public record IpxeScript(String text) {
    public static final String MAGIC = "#!ipxe";

    public IpxeScript {
        if (text == null || !text.startsWith(MAGIC)) {
            throw ProblemException.invalid("'script' must start with \"" + MAGIC
                    + "\" on its first line, for example \"#!ipxe\\ndhcp\\nchain http://...\"");
        }
    }

    /**
     * The script as a build writes it: {@code {{server}}} replaced by {@code serverUrl}, and {@code
     * {{artifactId}}} by nothing (a built binary serves every site, as a raw GET without {@code
     * ?artifactId=} does), see {@link ScriptPlaceholders}. Unchanged when {@code serverUrl} is null
     * (builds requested before the server recorded its URL).
     */
    public IpxeScript withServer(String serverUrl) {
        if (serverUrl == null) {
            return this;
        }
        return new IpxeScript(ScriptPlaceholders.fill(text, Map.of(ScriptPlaceholders.SERVER, serverUrl)));
    }

    /** The text as iPXE reads it: ending with a newline. */
    public String fileContent() {
        return text.endsWith("\n") ? text : text + "\n";
    }
}
