package org.tandem.config.ini;

import java.util.Optional;
import org.tandem.config.ConfigError;
import org.tandem.config.Location;

/**
 * One {@code --set SECTION.KEY=VALUE} argument.
 *
 * <p>SECTION is a section name as written in the file. Named sections may be written with a
 * space ({@code 'span 1.timing=0'}) or, to spare the shell quoting, with a dot
 * ({@code span.1.timing=0}, {@code trunk.carrier-a.host=10.0.0.1}): when the first word is one
 * of the named kinds, the next dot-separated word is the name. Everything after that dot up to
 * {@code =} is the key, so cause-map keys keep their dots ({@code causes.strict.q850.17=486}).
 */
public record Override(String section, String key, String value, Location location) {

    /**
     * Parses the {@code index}-th (1-based) argument. Bad syntax becomes an error, never an
     * exception: every problem is reported together with the file's.
     */
    public static Optional<Override> parse(String text, int index, java.util.Set<String> namedKinds,
            java.util.List<ConfigError> errors) {
        Location at = Location.override(index, text);
        String accepted = "section.key=value, e.g. sip.listen=127.0.0.1:5070 or span.1.timing=0";
        int eq = text.indexOf('=');
        if (eq < 0) {
            errors.add(new ConfigError(at, null, null, "no '=' in override", accepted, null));
            return Optional.empty();
        }
        String path = text.substring(0, eq).strip();
        String value = text.substring(eq + 1).strip();
        int dot = path.indexOf('.');
        if (dot <= 0 || dot == path.length() - 1) {
            errors.add(new ConfigError(at, null, null,
                    "'" + path + "' does not name a section and a key", accepted, null));
            return Optional.empty();
        }
        String first = path.substring(0, dot).strip();
        String section;
        String key;
        if (namedKinds.contains(first)) {
            int next = path.indexOf('.', dot + 1);
            if (next < 0 || next == path.length() - 1) {
                errors.add(new ConfigError(at, null, null,
                        "'" + path + "' names a " + first + " section but not which one, or no key",
                        first + "." + exampleName(first) + ".key=value, e.g. "
                                + (first.equals("span") ? "span.1.timing=0" : first + ".main.KEY=VALUE"),
                        null));
                return Optional.empty();
            }
            section = first + " " + path.substring(dot + 1, next).strip();
            key = path.substring(next + 1).strip();
        } else {
            section = first;
            key = path.substring(dot + 1).strip();
        }
        return Optional.of(new Override(section, key, value, at));
    }

    private static String exampleName(String kind) {
        return kind.equals("span") ? "N" : "NAME";
    }

    public void applyTo(IniDocument doc) {
        doc.override(section, key, value, location);
    }
}
