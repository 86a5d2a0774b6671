package org.tandem.config;

/** An enum constant spelled in the INI file as {@link #token()} (e.g. {@code pri_cpe}). */
public interface Token {
    String token();
}
