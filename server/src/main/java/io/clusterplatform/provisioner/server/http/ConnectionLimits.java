package io.clusterplatform.provisioner.server.http;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What one client may hold of the server's connections ({@code provisioner.http.*}).
 *
 * @param headerTimeout how long a request's line and headers may take to arrive, from their first
 *     byte (a client trickling bytes is cut off then); also how long an idle connection is kept. The
 *     answer may take as long as it needs (long polls wait 25 s, downloads stream).
 * @param maxConnectionsPerAddress open connections one client address may hold; more are closed as
 *     they are accepted. A site behind NAT is one address: keep it above its hosts booting at once.
 */
@ConfigurationProperties("provisioner.http")
public record ConnectionLimits(
        @DefaultValue("20s") Duration headerTimeout,
        @DefaultValue("512") int maxConnectionsPerAddress) {

    public ConnectionLimits {
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "provisioner.http.header-timeout must be positive, got " + headerTimeout);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException(
                    "provisioner.http.max-connections-per-address must be 1 or more, got " + maxConnectionsPerAddress);
        }
    }
}
