package org.tandem.config;

import java.util.List;
import java.util.Optional;

/** A configuration, or every reason there is none. */
public record LoadResult(String source, Optional<GatewayConfig> config, List<ConfigError> errors) {

    public boolean ok() {
        return errors.isEmpty();
    }

    /** The config; only call when {@link #ok()}. */
    public GatewayConfig orThrow() {
        return config.orElseThrow(() -> new IllegalStateException(errorReport()));
    }

    /**
     * The text {@code check-config} and {@code run} print when the config is unusable: one line
     * per error in file order, then a count.
     */
    public String errorReport() {
        StringBuilder b = new StringBuilder();
        for (ConfigError e : errors) {
            b.append(e.format()).append('\n');
        }
        b.append(source).append(": ").append(errors.size()).append(errors.size() == 1 ? " error" : " errors")
                .append('\n');
        return b.toString();
    }
}
