package org.tandem.config;

import java.util.Map;

/**
 * {@code [causes NAME]}: overrides on top of the RFC 3398 default mapping, which lives with call
 * control. Only the entries given here differ from the defaults.
 */
public record CauseMapConfig(String name, Map<Integer, Integer> q850ToSip,
        Map<Integer, Integer> sipToQ850) {
}
