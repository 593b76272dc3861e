package io.clusterplatform.provisioner.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.clusterplatform.provisioner.server.config.ProvisionerProperties;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/** Without a public URL the server warns at start that its URLs follow each request's Host header. */
class ServerUrlTest {
    @Test
    void anUnsetPublicUrlIsWarnedAboutAtStart() {
        List<String> warnings = warningsWhileCreating("");
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("PROVISIONER_PUBLIC_URL")
                .contains("Host header");
    }

    @Test
    void aSetPublicUrlIsNot() {
        assertThat(warningsWhileCreating("https://provisioner.example:8443/")).isEmpty();
    }

    private static List<String> warningsWhileCreating(String publicUrl) {
        Logger logger = (Logger) LoggerFactory.getLogger(ServerUrl.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            ServerUrl url = new ServerUrl(new ProvisionerProperties(
                    Path.of("data"), "", "", "", "", true, DataSize.ofMegabytes(1), publicUrl));
            assertThat(url.configured()).isEqualTo(!publicUrl.isEmpty());
        } finally {
            logger.detachAppender(logged);
        }
        return logged.list.stream()
                .filter(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
