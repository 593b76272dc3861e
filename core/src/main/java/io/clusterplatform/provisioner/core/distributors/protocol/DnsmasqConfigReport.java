package io.clusterplatform.provisioner.core.distributors.protocol;

import java.util.Optional;

/**
 * The dnsmasq configuration an agent rendered, with the file it wrote it to: part of the result of an
 * {@code update}, and of a {@code status} that switched PXE on. On the wire it travels as the last
 * section of the result's {@code output}, after a line {@code --- <file> ---} (see {@link #section()}),
 * because servers of the previous release refuse results with fields they do not know, and read the
 * configuration there; {@link #readFrom} is the one reader of that section, for results of any release.
 */
public record DnsmasqConfigReport(String file, String text) {
    /** What a result's output holds when it carries a configuration; e.g. for a database's LIKE. */
    public static final String SECTION_START = "\n--- ";

    private static final String SECTION_END = " ---";

    /** The section appended to a result's output: {@code --- <file> ---}, a line break and the text. */
    public String section() {
        return SECTION_START.substring(1) + file + SECTION_END + "\n" + text;
    }

    /** The configuration in a result's {@code output} (the last section, if any). */
    public static Optional<DnsmasqConfigReport> readFrom(String output) {
        if (output == null) {
            return Optional.empty();
        }
        int start = output.lastIndexOf(SECTION_START);
        int lineEnd = output.indexOf('\n', start + 1);
        if (start < 0 || lineEnd < 0) {
            return Optional.empty();
        }
        String header = output.substring(start + SECTION_START.length(), lineEnd);
        String file =
                header.endsWith(SECTION_END) ? header.substring(0, header.length() - SECTION_END.length()) : header;
        return Optional.of(new DnsmasqConfigReport(file, output.substring(lineEnd + 1)));
    }
}
