package org.tandem.config.validate;

import java.util.ArrayList;
import java.util.List;
import org.tandem.config.ConfigError;
import org.tandem.config.Location;

/** Collects every error of one load; nothing stops at the first. */
public final class Problems {
    private final List<ConfigError> errors;

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

    public List<ConfigError> errors() {
        return errors;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }
}
