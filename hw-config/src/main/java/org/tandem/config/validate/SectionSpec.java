package org.tandem.config.validate;

import java.util.List;
import java.util.Optional;

/**
 * A kind of section: a singleton such as {@code [sip]} or a named family such as
 * {@code [trunk NAME]}, with its keys.
 *
 * @param nameType for named sections, the type of NAME; null for singletons
 */
public record SectionSpec(String kind, ValueType<?> nameType, String doc, List<Key<?>> keys,
        List<PatternKey<?>> patternKeys) {

    public boolean named() {
        return nameType != null;
    }

    /** How the header is written: {@code [sip]} or {@code [trunk NAME]}. */
    public String header() {
        return named() ? "[" + kind + " " + (kind.equals("span") ? "N" : "NAME") + "]" : "[" + kind + "]";
    }

    public Optional<Key<?>> key(String name) {
        return keys.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    public Optional<PatternKey<?>> patternKey(String name) {
        return patternKeys.stream().filter(p -> p.pattern().matcher(name).matches()).findFirst();
    }
}
