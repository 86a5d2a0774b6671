package org.tandem.config.validate;

/** Thrown by a {@link ValueType} when a value cannot be used; caught and turned into a ConfigError. */
public final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;
    private final String accepted;

    public BadValue(String problem) {
        this(problem, null);
    }

    /** @param accepted overrides the type's general description of what is accepted */
    public BadValue(String problem, String accepted) {
        super(problem, null, false, false);
        this.accepted = accepted;
    }

    public String accepted() {
        return accepted;
    }
}
