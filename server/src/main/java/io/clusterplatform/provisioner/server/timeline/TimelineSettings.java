package io.clusterplatform.provisioner.server.timeline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the server keeps what boot timelines are made of, under {@code provisioner.timeline.*}
 * (environment: {@code PROVISIONER_TIMELINE_KEEP}).
 *
 * @param keep boot events, host fetches and node events older than this are deleted (hourly)
 */
@ConfigurationProperties("provisioner.timeline")
public record TimelineSettings(@DefaultValue("30d") Duration keep) {

    public TimelineSettings {
        if (keep == null || keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("provisioner.timeline.keep must be positive, got " + keep);
        }
    }
}
