package io.clusterplatform.provisioner.core.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import io.clusterplatform.provisioner.core.scripts.ScriptPlaceholders;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The script an iPXE artifact runs when it boots. iPXE only treats a file as a script when it starts
 * with the {@code #!ipxe} magic, so anything else is refused up front.
 */
public record IpxeScript(String text) {
    public static final String MAGIC = "#!ipxe";

    /** A line that only configures the network: {@code dhcp} or {@code ifconf}, on all or one interface. */
    private static final Pattern CONFIGURE_LINE =
            Pattern.compile("(?m)^([ \\t]*)((?:dhcp|ifconf)(?:[ \\t]+(net\\d+))?)([ \\t\\r]*)$");

    public IpxeScript {
        if (text == null || !text.startsWith(MAGIC)) {
            throw ProblemException.invalid("'script' must start with \"" + MAGIC
                    + "\" on its first line, for example \"#!ipxe\\ndhcp\\nchain http://...\"");
        }
    }

    /**
     * The script that configures the network and chains mainscript {@code mainscriptId} of {@code
     * server} (a base URL, or {@code {{server}}} for the build to fill in): what an ISO built from a
     * mainscript runs, and the dashboard's first iPXE script.
     */
    public static IpxeScript chainingMainscript(String server, long mainscriptId) {
        return new IpxeScript(MAGIC + "\ndhcp\nchain " + server + "/api/mainscripts/" + mainscriptId + "\n");
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

    /**
     * The script for an iPXE that has configured its network just before it runs it: the one that
     * proxyDHCP hands the script's URL to. There a line that only configures the network ({@code dhcp},
     * {@code ifconf}, on all interfaces or {@code netN}) runs only when no address is set ({@code isset
     * ${ip} ||}, or {@code ${netN/ip}}): {@code dhcp} is iPXE's {@code ifconf}, which waits for IPv6 router advertisements as
     * well as DHCP, and on an IPv4-only LAN that wait is 4 s (iPXE 1.21) to 16 s (qemu's ROM) of every
     * boot (docs/BENCHMARKS.md, "Time to node"). Any other line, {@code dhcp || goto retry} among them,
     * stays as it is.
     */
    public IpxeScript forConfiguredNetwork() {
        return new IpxeScript(CONFIGURE_LINE.matcher(text).replaceAll(line -> {
            String address = line.group(3) == null ? "${ip}" : "${" + line.group(3) + "/ip}";
            return Matcher.quoteReplacement(
                    line.group(1) + "isset " + address + " || " + line.group(2) + line.group(4));
        }));
    }

    /** The text as iPXE reads it: ending with a newline. */
    public String fileContent() {
        return text.endsWith("\n") ? text : text + "\n";
    }
}
