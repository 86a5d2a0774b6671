package org.tandem.config;

import java.util.Locale;

/**
 * An enum constant as spelled in the INI file (e.g. {@code pri_cpe}): by default its name in lower
 * case; constants spelled otherwise ({@code 4ess}, {@code sha-256}) override {@link #token()}.
 */
public interface Token {
    /** Implemented by every enum. */
    String name();

    default String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
