package org.tandem.config;

import java.util.List;
import java.util.Optional;

/**
 * A configuration, or every reason there is none; and the warnings, which never stop a load:
 * settings that are valid but that the gateway does not act on yet.
 */
public record LoadResult(String source, Optional<GatewayConfig> config, List<ConfigError> errors,
        List<ConfigError> warnings) {

    public LoadResult(String source, Optional<GatewayConfig> config, List<ConfigError> errors) {
        this(source, config, errors, List.of());
    }

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

    /**
     * One line per warning, {@code FILE:LINE: warning: [SECTION] KEY: ...}, in file order; empty
     * when there are none. {@code check-config} prints it to stderr after {@code OK}; {@code run}
     * should print or log it before starting.
     */
    public String warningReport() {
        StringBuilder b = new StringBuilder();
        for (ConfigError w : warnings) {
            b.append(w.format(true)).append('\n');
        }
        return b.toString();
    }
}
