package org.tandem.config;

/**
 * A resolved secret (password, community, key). {@link #toString()} never shows the value, so a
 * config object can be logged.
 *
 * @param reference how it was given: {@code env:VAR}, {@code file:/path} or {@code literal}
 * @param value the secret itself; null only in a configuration loaded with
 *     {@link LoadOptions#offline()}, which is never run
 */
public record Secret(String reference, String value) {
    @Override
    public String toString() {
        return "Secret[" + reference + "]";
    }
}
