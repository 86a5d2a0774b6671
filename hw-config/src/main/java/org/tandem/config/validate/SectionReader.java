package org.tandem.config.validate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tandem.config.ConfigError;
import org.tandem.config.Location;
import org.tandem.config.ini.IniEntry;
import org.tandem.config.ini.IniSection;

/**
 * Typed access to one section against its {@link SectionSpec}. On construction it reports
 * unknown, repeated, valueless and missing required keys; {@link #get} reports bad values. A bad
 * value reads as null, so building goes on and every error is found in one pass.
 */
public final class SectionReader {
    private final String sectionName;
    private final Location sectionLocation;
    private final SectionSpec spec;
    private final ValueContext ctx;
    private final Problems problems;
    private final Map<String, IniEntry> entries = new LinkedHashMap<>();
    private final Map<String, Object> parsed = new HashMap<>();

    /** @param section the section as read, or null when absent from the file (all defaults) */
    public SectionReader(IniSection section, String sectionName, Location fileLocation,
            SectionSpec spec, ValueContext ctx, Problems problems) {
        this.sectionName = sectionName;
        this.sectionLocation = section == null ? fileLocation : section.location();
        this.spec = spec;
        this.ctx = ctx;
        this.problems = problems;
        if (section != null) {
            for (IniEntry e : section.entries()) {
                check(e);
            }
        }
        for (Key<?> k : spec.keys()) {
            if (k.required() && !entries.containsKey(k.name())) {
                problems.add(sectionLocation, sectionName, k.name(),
                        "required key is missing", k.type().accepted());
            }
        }
    }

    private void check(IniEntry e) {
        boolean known = spec.key(e.key()).isPresent() || spec.patternKey(e.key()).isPresent();
        if (!known) {
            List<String> names = spec.keys().stream().map(Key::name).toList();
            String accepted = String.join(", ", names);
            if (!spec.patternKeys().isEmpty()) {
                accepted = (accepted.isEmpty() ? "" : accepted + ", ")
                        + String.join(", ", spec.patternKeys().stream().map(PatternKey::example).toList());
            }
            problems.add(new ConfigError(e.location(), sectionName, e.key(), "unknown key",
                    accepted, Suggest.nearest(e.key(), names)));
            return;
        }
        if (e.value() == null) {
            problems.add(e.location(), sectionName, e.key(), "no value: write '" + e.key() + " = VALUE'",
                    null);
            return;
        }
        IniEntry previous = entries.put(e.key(), e);
        if (previous != null) {
            problems.add(e.location(), sectionName, e.key(), "key is given twice (first at "
                    + previous.location() + "); only one is allowed", null);
        }
    }

    public SectionSpec spec() {
        return spec;
    }

    public String sectionName() {
        return sectionName;
    }

    public Location sectionLocation() {
        return sectionLocation;
    }

    /** Where {@code key} was set, or the section header when it took its default. */
    public Location locationOf(String key) {
        IniEntry e = entries.get(key);
        return e == null ? sectionLocation : e.location();
    }

    public boolean isSet(Key<?> key) {
        return entries.containsKey(key.name());
    }

    /** The value, the parsed default when absent, or null when absent without default or bad. */
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        if (parsed.containsKey(key.name())) {
            return (T) parsed.get(key.name());
        }
        IniEntry e = entries.get(key.name());
        T value = null;
        if (e != null) {
            value = parse(key.type(), e, key.name());
        } else if (key.defaultText() != null) {
            try {
                value = key.type().parse(key.defaultText(), ctx);
            } catch (BadValue bad) {
                throw new IllegalStateException("schema default of " + key.name() + " is invalid", bad);
            }
        }
        parsed.put(key.name(), value);
        return value;
    }

    /** All pattern keys of {@code family} with their parsed values, in file order. */
    @SuppressWarnings("unchecked")
    public <T> Map<String, T> getAll(PatternKey<T> family) {
        Map<String, T> out = new LinkedHashMap<>();
        for (IniEntry e : entries.values()) {
            if (family.pattern().matcher(e.key()).matches()) {
                T v = parse(family.type(), e, e.key());
                if (v != null) {
                    out.put(e.key(), v);
                }
            }
        }
        return out;
    }

    private <T> T parse(ValueType<T> type, IniEntry e, String keyName) {
        try {
            return type.parse(e.value(), ctx);
        } catch (BadValue bad) {
            String problem = bad.getMessage();
            if (e.value().matches(".*\\s[;#].*")) {
                problem += "; comments must be on a line of their own";
            }
            problems.add(e.location(), sectionName, keyName, problem,
                    bad.accepted() != null ? bad.accepted() : type.accepted());
            return null;
        }
    }

    /** Reports a problem with this section's {@code key} (located where it was set). */
    public void error(String key, String problem, String accepted) {
        problems.add(locationOf(key), sectionName, key, problem, accepted);
    }

    /** Reports a problem with the section as a whole. */
    public void error(String problem, String accepted) {
        problems.add(sectionLocation, sectionName, null, problem, accepted);
    }

    /** Reports a valid setting of {@code key} that will not do what the operator expects. */
    public void warn(String key, String problem, String accepted) {
        problems.warn(locationOf(key), sectionName, key, problem, accepted);
    }

    /** True when {@code key} is written in the section with a value other than its default. */
    public boolean differsFromDefault(Key<?> key) {
        if (!isSet(key)) {
            return false;
        }
        Object value = get(key);
        if (value == null || key.defaultText() == null) {
            return value != null;
        }
        try {
            return !value.equals(key.type().parse(key.defaultText(), ctx));
        } catch (BadValue bad) {
            throw new IllegalStateException("schema default of " + key.name() + " is invalid", bad);
        }
    }
}
