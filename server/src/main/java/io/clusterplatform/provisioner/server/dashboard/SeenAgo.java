package io.clusterplatform.provisioner.server.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Instants as ages for the dashboard's pages ({@code ${@seenAgo.of(node.lastSeen())}}: "12 s ago"),
 * with the server's clock, so an age reads the same whatever the browser's clock says.
 */
@Component("seenAgo")
public class SeenAgo {
    private final Clock clock;

    SeenAgo(Clock clock) {
        this.clock = clock;
    }

    /** "0 s ago", "12 s ago", "5 min ago", "3 h ago", "2 d ago", or "never" for null. */
    public String of(Instant at) {
        if (at == null) {
            return "never";
        }
        Duration age = Duration.between(at, clock.instant());
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        if (age.toSeconds() < 120) {
            return age.toSeconds() + " s ago";
        }
        if (age.toMinutes() < 120) {
            return age.toMinutes() + " min ago";
        }
        if (age.toHours() < 48) {
            return age.toHours() + " h ago";
        }
        return age.toDays() + " d ago";
    }
}
