package org.tandem.config.validate;

/**
 * One key of a section in the schema.
 *
 * @param defaultText the default as it would be written in the file (parsed by {@code type}), or
 *     null when the key is required or its default depends on other keys
 * @param defaultDoc how the default is described when it depends on other keys, or null
 */
public record Key<T>(String name, ValueType<T> type, String defaultText, String defaultDoc,
        boolean required, String doc) {

    public static <T> Key<T> optional(String name, ValueType<T> type, String defaultText, String doc) {
        return new Key<>(name, type, defaultText, null, false, doc);
    }

    /** Optional with a default computed from other keys, described by {@code defaultDoc}. */
    public static <T> Key<T> computed(String name, ValueType<T> type, String defaultDoc, String doc) {
        return new Key<>(name, type, null, defaultDoc, false, doc);
    }

    public static <T> Key<T> required(String name, ValueType<T> type, String doc) {
        return new Key<>(name, type, null, null, true, doc);
    }
}
