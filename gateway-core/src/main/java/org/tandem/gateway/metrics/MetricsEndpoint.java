package org.tandem.gateway.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.MetricsConfig;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.registrar.RegistrarService;

/** Starts the Prometheus endpoint of {@code [metrics] listen}, if set (the gateway's wiring). */
public final class MetricsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

    private MetricsEndpoint() {
    }

    /**
     * @param registrar the registrar whose figures to show, or null
     * @return the running server to close at shutdown, or a no-op when {@code [metrics] listen} is unset
     */
    public static AutoCloseable start(MetricsConfig config, GatewayModel model, RegistrarService registrar)
            throws IOException {
        if (config == null || !config.enabled()) {
            LOG.info("metrics endpoint off ([metrics] listen unset)");
            return () -> { };
        }
        // the jar's Implementation-Version (the same manifest as the gateway's main class)
        String version = MetricsEndpoint.class.getPackage().getImplementationVersion();
        version = version == null ? "dev" : version;
        InetSocketAddress at = new InetSocketAddress(config.listen().host(), config.listen().port());
        try {
            return MetricsServer.start(at, new GatewayMetrics(model, version, registrar));
        } catch (IOException e) {
            throw new IOException("[metrics] listen = " + config.listen() + ": cannot listen there (" + e.getMessage()
                    + "); free the port or choose another", e);
        }
    }
}
