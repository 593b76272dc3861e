package io.clusterplatform.provisioner.server.distributors;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a boot event is about: a {@code dhcp} exchange (proxyDHCP offer, iPXE detection), a {@code
 * tftp} transfer, or the {@code service} itself (dnsmasq started, stopped, failed).
 */
public enum BootEventKind {
    DHCP,
    TFTP,
    SERVICE;

    /** The name in JSON and in the database: {@code dhcp}, {@code tftp}, {@code service}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this wire name, if there is one. */
    public static Optional<BootEventKind> parse(String wireName) {
        return Arrays.stream(values())
                .filter(k -> k.wireName().equals(wireName))
                .findFirst();
    }

    /** {@code dhcp, tftp, service}, for messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(BootEventKind::wireName).collect(Collectors.joining(", "));
    }
}
