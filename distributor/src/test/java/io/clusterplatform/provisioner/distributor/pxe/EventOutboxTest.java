package io.clusterplatform.provisioner.distributor.pxe;

import static org.assertj.core.api.Assertions.assertThat;

import io.clusterplatform.provisioner.distributor.link.BootEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventOutboxTest {
    private final EventOutbox outbox = new EventOutbox(
            new BootLogParser(Path.of("/tftp"), ip -> Optional.empty()),
            Clock.fixed(Instant.parse("2026-11-22T01:00:00Z"), ZoneOffset.UTC));

    @Test
    void keepsOnlyBootLinesInOrderUntilTheServerHasThem() throws Exception {
        outbox.line("dnsmasq-dhcp[1]: 7 PXE(eth0) 52:54:00:00:00:01 proxy");
        outbox.line("dnsmasq-dhcp[1]: 7 tags: eth0");
        outbox.note("dnsmasq (pid 9) exited with code 1; restarting in 1000 ms");

        List<BootEvent> batch = outbox.peek(0);
        assertThat(batch).extracting(BootEvent::kind).containsExactly("dhcp", "service");
        assertThat(batch.get(1).seq()).isEqualTo(batch.get(0).seq() + 1);
        assertThat(batch.get(0).seq())
                .isEqualTo(Instant.parse("2026-11-22T01:00:00Z").toEpochMilli() * 1000);

        outbox.add("tftp", null, "10.0.0.5", "uefi/ipxe.efi", "sent");
        outbox.remove(batch);

        assertThat(outbox.peek(0)).extracting(BootEvent::kind).containsExactly("tftp");
    }

    @Test
    void dropsTheOldestWhenFullAndSaysSo() throws Exception {
        for (int i = 0; i < EventOutbox.CAPACITY + 5; i++) {
            outbox.add("dhcp", null, null, null, "line " + i);
        }

        List<BootEvent> first = outbox.peek(0);

        assertThat(first.get(0).message()).isEqualTo("line 5");
        assertThat(first).hasSize(EventOutbox.BATCH);
        assertThat(outbox.size()).isEqualTo(EventOutbox.CAPACITY + 1);
        List<BootEvent> all = drain();
        assertThat(all.get(all.size() - 1).message())
                .isEqualTo("5 boot events were dropped while the server was unreachable");
    }

    private List<BootEvent> drain() throws InterruptedException {
        List<BootEvent> all = new java.util.ArrayList<>();
        for (List<BootEvent> batch; !(batch = outbox.peek(0)).isEmpty(); ) {
            all.addAll(batch);
            outbox.remove(batch);
        }
        return all;
    }
}
