package org.tandem.config.validate;

import java.util.regex.Pattern;

/** A family of keys such as {@code q850.17} or {@code sip.486}: name matched by {@code pattern}. */
public record PatternKey<T>(Pattern pattern, String example, ValueType<T> type, String doc) {
}
