package org.tandem.config;

/**
 * One thing wrong with a configuration, phrased for the operator who has to fix it.
 *
 * <p>Formatted as one line:
 * {@code FILE:LINE: [SECTION] KEY: PROBLEM; did you mean 'X'? (accepted: ...)}; the parts
 * that do not apply are left out. {@code check-config} and {@code run} print exactly this text.
 *
 * @param section section name as written, or null for file-level errors
 * @param key key name as written, or null for section-level errors
 * @param accepted what would be accepted, or null
 * @param suggestion the nearest known name for a misspelling, or null
 */
public record ConfigError(Location location, String section, String key, String problem,
        String accepted, String suggestion) {

    public String format() {
        return format(false);
    }

    /** As {@link #format()}, with {@code warning: } after the location when {@code warning}. */
    public String format(boolean warning) {
        StringBuilder b = new StringBuilder();
        b.append(location).append(": ");
        if (warning) {
            b.append("warning: ");
        }
        if (section != null) {
            b.append('[').append(section).append(']');
            if (key != null) {
                b.append(' ').append(key);
            }
            b.append(": ");
        } else if (key != null) {
            b.append(key).append(": ");
        }
        b.append(problem);
        if (suggestion != null) {
            b.append("; did you mean '").append(suggestion).append("'?");
        }
        if (accepted != null) {
            b.append(" (accepted: ").append(accepted).append(')');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
