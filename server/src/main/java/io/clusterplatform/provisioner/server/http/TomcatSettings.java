package io.clusterplatform.provisioner.server.http;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the embedded Tomcat does before the application sees a request: its refusals are problems
 * too, and one client cannot hold the server's connections ({@link GuardedNioProtocol}).
 */
@Component
class TomcatSettings implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
    private final ConnectionLimits limits;
    private final ClientAddress clients;

    TomcatSettings(ConnectionLimits limits, ClientAddress clients) {
        this.limits = limits;
        this.clients = clients;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(GuardedNioProtocol.class.getName());
        factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof GuardedNioProtocol guarded) {
                guarded.limit(limits, clients.trustedProxies());
            }
        });
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }
}
