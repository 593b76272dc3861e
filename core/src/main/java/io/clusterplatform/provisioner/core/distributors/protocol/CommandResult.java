package io.clusterplatform.provisioner.core.distributors.protocol;

/**
 * What applying a command gave, as the agent acknowledges it ({@code POST
 * /api/distributors/{id}/commands/{commandId}/result} with {@code ok}, {@code output}, {@code error}):
 * the output or the error, and the dnsmasq configuration the command rendered or started with (null:
 * none). The configuration is also the last section of {@code output} ({@link DnsmasqConfigReport}),
 * which is how it travels.
 */
public record CommandResult(boolean ok, String output, String error, DnsmasqConfigReport dnsmasqConfig) {
    /** Output and error are cut to this many characters before they are sent. */
    public static final int MAX_TEXT = 64 * 1024;

    public CommandResult {
        output = cut(output);
        error = cut(error);
    }

    public static CommandResult done(String output) {
        return new CommandResult(true, output, null, null);
    }

    /** Done, with the configuration appended to {@code report} as its last section. */
    public static CommandResult done(String report, DnsmasqConfigReport dnsmasqConfig) {
        return new CommandResult(true, report + dnsmasqConfig.section(), null, dnsmasqConfig);
    }

    public static CommandResult failed(String error) {
        return new CommandResult(false, null, error, null);
    }

    private static String cut(String text) {
        if (text == null) {
            return null;
        }
        String clean = text.replace('\u0000', '?');
        return clean.length() <= MAX_TEXT
                ? clean
                : clean.substring(0, MAX_TEXT) + "\n[cut at " + MAX_TEXT + " characters]";
    }
}
