package org.tandem.config.validate;

import java.util.ArrayList;
import java.util.List;
import org.tandem.config.ConfigError;
import org.tandem.config.Location;

/**
 * Collects every error of one load (nothing stops at the first), and the warnings: settings that
 * are valid but that the gateway does not act on, which an operator must not take for working, or
 * that buy nothing on this machine (more media agents than cores).
 */
public final class Problems {
    private final List<ConfigError> errors;
    private final List<ConfigError> warnings = new ArrayList<>();

    public Problems(List<ConfigError> errors) {
        this.errors = errors;
    }

    public Problems() {
        this(new ArrayList<>());
    }

    public void add(Location at, String section, String key, String problem, String accepted) {
        errors.add(new ConfigError(at, section, key, problem, accepted, null));
    }

    public void add(ConfigError error) {
        errors.add(error);
    }

    public void warn(Location at, String section, String key, String problem, String accepted) {
        warnings.add(new ConfigError(at, section, key, problem, accepted, null));
    }

    public List<ConfigError> errors() {
        return errors;
    }

    public List<ConfigError> warnings() {
        return warnings;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }
}
