package org.tandem.config.validate;

/** How one kind of value is written in the INI file and turned into a Java value. */
public interface ValueType<T> {
    /** @param raw the value text, stripped of surrounding blanks; never null */
    T parse(String raw, ValueContext ctx) throws BadValue;

    /** What would be accepted, for error messages and the docs, e.g. "an integer 1-128". */
    String accepted();
}
