package io.clusterplatform.provisioner.core.distributors;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syntax rules for what operators tell a distributor, and the timing rules of its link. Every
 * refusal is a 400 that names the field.
 */
public final class DistributorRules {
    /**
     * A distributor is online when it was seen within this time. Its agent long-polls at most {@link
     * #MAX_WAIT} at a time and every poll counts as seen, so a connected agent is never older than that.
     */
    public static final Duration ONLINE_WITHIN = Duration.ofSeconds(60);

    /** The longest a command poll waits; longer waits are cut to this. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The wait of a command poll that names none. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(25);

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s)?");

    private DistributorRules() {}

    /** An http(s) URL with a host, from where the agent downloads a bootloader. */
    public static String requireHttpUrl(String field, String value) {
        require(field, value);
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw ProblemException.invalid("'" + field + "' must be an http:// or https:// URL, got '" + value + "'");
    }

    /**
     * A Linux network interface name as the kernel accepts it: 1 to 15 characters, no '/', ':' or
     * whitespace, not "." or "..".
     */
    public static String requireDevice(String field, String value) {
        require(field, value);
        boolean valid = value.length() <= 15 && !value.equals(".") && !value.equals("..");
        for (int i = 0; valid && i < value.length(); i++) {
            char c = value.charAt(i);
            valid = c != '/' && c != ':' && !Character.isWhitespace(c) && !Character.isISOControl(c);
        }
        if (!valid) {
            throw ProblemException.invalid("'" + field + "' must be a network interface name such as enp0s25"
                    + " (1 to 15 characters, no '/', ':' or whitespace), got '" + value + "'");
        }
        return value;
    }

    /** An IPv4 address in dotted decimal, e.g. the LAN address dnsmasq serves proxyDHCP for. */
    public static String requireIpv4(String field, String value) {
        require(field, value);
        if (!IPV4.matcher(value).matches()) {
            throw ProblemException.invalid(
                    "'" + field + "' must be an IPv4 address such as 192.168.178.1, got '" + value + "'");
        }
        return value;
    }

    /** Whether a distributor last seen at {@code lastSeen} counts as online at {@code now}. */
    public static boolean isOnline(Instant lastSeen, Instant now) {
        return lastSeen != null && !lastSeen.isBefore(now.minus(ONLINE_WITHIN));
    }

    /**
     * The wait of a command poll: {@code 25s}, {@code 500ms} or plain seconds ({@code 25}); none means
     * {@link #DEFAULT_WAIT}; anything above {@link #MAX_WAIT} is cut to it.
     */
    public static Duration parseWait(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_WAIT;
        }
        Matcher m = WAIT.matcher(value.trim());
        if (!m.matches()) {
            throw ProblemException.invalid("'wait' must look like 25s or 500ms, got '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        Duration wait = "ms".equals(m.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid("'" + field + "' is required");
        }
    }
}
