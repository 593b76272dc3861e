package io.clusterplatform.provisioner.distributor.link;

/** What applying a command gave: the output (e.g. the rendered dnsmasq configuration) or the error. */
public record CommandResult(boolean ok, String output, String error) {
    /** Output and error are cut to this many characters before they are sent. */
    static final int MAX_TEXT = 64 * 1024;

    public CommandResult {
        output = cut(output);
        error = cut(error);
    }

    public static CommandResult done(String output) {
        return new CommandResult(true, output, null);
    }

    public static CommandResult failed(String error) {
        return new CommandResult(false, null, error);
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
