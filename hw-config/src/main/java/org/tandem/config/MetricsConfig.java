package org.tandem.config;

/**
 * {@code [metrics]}: the Prometheus text endpoint (docs/OPERATIONS.md "Metrics").
 *
 * @param listen TCP address:port of the HTTP endpoint, or null when there is none (the default)
 */
public record MetricsConfig(HostPort listen) {
    public boolean enabled() {
        return listen != null;
    }
}
