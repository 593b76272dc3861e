package io.clusterplatform.provisioner.core.mesh;

import io.clusterplatform.provisioner.core.nodes.NodeAddresses;
import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Syntax rules of the mesh API. Every refusal is a 400 that names the field and what is expected. */
public final class MeshRules {
    /** A join token lives this long unless the operator says otherwise. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(24);

    /** The longest a join token may live. */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(365);

    /** The shortest a join token may live. */
    public static final Duration MIN_TOKEN_LIFETIME = Duration.ofMinutes(1);

    /** The most hosts one reusable join token may admit. */
    public static final int MAX_TOKEN_USES = 100_000;

    /** The longest a peer-map poll waits; longer waits are cut to this. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The wait of a peer-map poll that names none. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(25);

    private static final Pattern NETWORK_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern LIFETIME = Pattern.compile("(\\d{1,6})(s|m|h|d)");
    private static final Pattern WAIT = Pattern.compile("(\\d{1,9})(ms|s)?");
    private static final Pattern IPV4_ENDPOINT = Pattern.compile(
            "((?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}):(\\d{1,5})");
    private static final Pattern IPV6_ENDPOINT = Pattern.compile("\\[([0-9A-Fa-f:]{2,39})]:(\\d{1,5})");

    private MeshRules() {}

    /**
     * A network ID is a DNS label in lower case: 1 to 63 letters, digits and '-', not starting or
     * ending with '-' ({@code lab}, {@code prod-eu-1}), so that it can name interfaces and DNS zones.
     */
    public static String requireNetworkId(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid("'" + field + "' is required: a name such as prod-eu-1");
        }
        if (!NETWORK_ID.matcher(value).matches()) {
            throw ProblemException.invalid("'" + field + "' must be a DNS label: 1 to 63 lower-case letters, digits"
                    + " and '-', not starting or ending with '-', such as prod-eu-1; got '" + value + "'");
        }
        return value;
    }

    /** A host name as a node reports it (DNS syntax, at most 253 characters). */
    public static String requireHostname(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid("'" + field + "' is required: the host's name");
        }
        if (!NodeAddresses.isHostname(value)) {
            throw ProblemException.invalid("'" + field + "' must be a DNS host name, got '" + value + "'");
        }
        return value;
    }

    /**
     * Where peers reach a node's WireGuard port: {@code 203.0.113.7:51820} or {@code
     * [2001:db8::7]:51820}, literals only (no names, nothing is looked up). Null stays null: a node
     * behind NAT (a bridge) may have none; peers then wait for it to reach them.
     */
    public static String endpointOrNull(String field, String value) {
        if (value == null) {
            return null;
        }
        Matcher v4 = IPV4_ENDPOINT.matcher(value);
        Matcher v6 = IPV6_ENDPOINT.matcher(value);
        String port;
        if (v4.matches()) {
            port = v4.group(2);
        } else if (v6.matches() && Ipv6Text.parse(v6.group(1)).isPresent()) {
            port = v6.group(2);
        } else {
            throw ProblemException.invalid("'" + field + "' must be ip:port, such as 203.0.113.7:51820 or"
                    + " [2001:db8::7]:51820, got '" + value + "'");
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw ProblemException.invalid("'" + field + "' has port " + number + ", must be 1 to 65535");
        }
        return value;
    }

    /** {@code 30m}, {@code 24h}, {@code 7d} or {@code 3600s}; absent means {@link #DEFAULT_TOKEN_LIFETIME}. */
    public static Duration parseLifetime(String field, String value) {
        if (value == null) {
            return DEFAULT_TOKEN_LIFETIME;
        }
        Matcher m = LIFETIME.matcher(value.trim());
        if (!m.matches()) {
            throw ProblemException.invalid(
                    "'" + field + "' must be a number with s, m, h or d, such as 24h or 7d; got '" + value + "'");
        }
        long amount = Long.parseLong(m.group(1));
        Duration lifetime = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (lifetime.compareTo(MIN_TOKEN_LIFETIME) < 0 || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            throw ProblemException.invalid("'" + field + "' must be between 1m and 365d, got '" + value + "'");
        }
        return lifetime;
    }

    /** How many hosts a token admits: 1 (single-use) when absent, at most {@link #MAX_TOKEN_USES}. */
    public static int requireUses(String field, Integer value) {
        if (value == null) {
            return 1;
        }
        if (value < 1 || value > MAX_TOKEN_USES) {
            throw ProblemException.invalid(
                    "'" + field + "' must be between 1 and " + MAX_TOKEN_USES + ", got " + value);
        }
        return value;
    }

    /**
     * The wait of a peer-map poll: {@code 25s}, {@code 500ms} or plain seconds; none means {@link
     * #DEFAULT_WAIT}; anything above {@link #MAX_WAIT} is cut to it.
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
}
