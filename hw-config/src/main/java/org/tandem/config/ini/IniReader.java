package org.tandem.config.ini;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ini4j.Config;
import org.ini4j.Ini;
import org.ini4j.InvalidFileFormatException;
import org.ini4j.Profile;
import org.tandem.config.ConfigError;
import org.tandem.config.Location;

/**
 * Reads an INI file with ini4j and gives every section and key the line it came from.
 *
 * <p>ini4j keeps no line numbers, so the file is read twice: a light pre-scan that knows only
 * the shape of a line (blank, comment, {@code [header]}, {@code key = value}) records the line of
 * the n-th occurrence of each section name and of each key inside it; ini4j then parses the file
 * and supplies the values, and the two are joined on (section name, occurrence, key,
 * occurrence). ini4j stays the one parser of values; the pre-scan only remembers positions, and
 * it also reports the lines ini4j would reject, with their number.
 *
 * <p>ini4j is configured for operators, not Java programmers: no backslash escapes (regexes are
 * written as-is), no line continuation, no section tree ({@code /} is an ordinary character),
 * repeated sections and keys are kept so the validator can report them. Comments are whole lines
 * starting with {@code ;} or {@code #}; there are no trailing comments.
 */
public final class IniReader {

    private IniReader() {
    }

    /** Reads {@code file}; {@code source} is how errors name it. Problems go to {@code errors}. */
    public static IniDocument read(Path file, String source, List<ConfigError> errors) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            errors.add(new ConfigError(Location.file(source, 0), null, null,
                    "cannot read the configuration file: " + describe(e),
                    "a readable INI file; give another with -c FILE", null));
            return new IniDocument(source);
        }
        return parse(text, source, errors);
    }

    /** Parses INI text; {@code source} is how errors name it. */
    public static IniDocument parse(String text, String source, List<ConfigError> errors) {
        List<Scanned> scanned = scan(text, source, errors);
        IniDocument doc = new IniDocument(source);
        Ini ini = new Ini();
        ini.setConfig(ini4jConfig());
        try {
            ini.load(new StringReader(cleaned(text)));
        } catch (InvalidFileFormatException e) {
            errors.add(new ConfigError(Location.file(source, 0), null, null,
                    "not an INI file: " + e.getMessage(), null, null));
            return doc;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
        Map<String, Integer> sectionSeen = new HashMap<>();
        for (Scanned s : scanned) {
            int occurrence = sectionSeen.merge(s.name, 1, Integer::sum) - 1;
            List<Profile.Section> all = ini.getAll(s.name);
            Profile.Section parsed = all != null && occurrence < all.size() ? all.get(occurrence) : null;
            IniSection section = new IniSection(s.name, s.location);
            Map<String, Integer> keySeen = new HashMap<>();
            for (ScannedKey k : s.keys) {
                int keyOccurrence = keySeen.merge(k.key, 1, Integer::sum) - 1;
                String value = k.rawValue;
                if (parsed != null) {
                    List<String> values = parsed.getAll(k.key);
                    if (values != null && keyOccurrence < values.size()) {
                        value = values.get(keyOccurrence);
                    }
                }
                section.add(new IniEntry(k.key, value, k.location));
            }
            doc.add(section);
        }
        return doc;
    }

    private static Config ini4jConfig() {
        Config c = new Config();
        c.setEscape(false);
        c.setEscapeNewline(false);
        c.setMultiSection(true);
        c.setMultiOption(true);
        c.setTree(false);
        c.setEmptyOption(true);
        c.setGlobalSection(true);
        c.setGlobalSectionName(IniSection.GLOBAL);
        return c;
    }

    private record ScannedKey(String key, String rawValue, Location location) {
    }

    private static final class Scanned {
        final String name;
        final Location location;
        final List<ScannedKey> keys = new ArrayList<>();

        Scanned(String name, Location location) {
            this.name = name;
            this.location = location;
        }
    }

    /** The pre-scan: line shapes only, mirroring ini4j's IniParser. */
    private static List<Scanned> scan(String text, String source, List<ConfigError> errors) {
        List<Scanned> out = new ArrayList<>();
        Scanned current = null;
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            Location at = Location.file(source, i + 1);
            if (line.isEmpty() || line.charAt(0) == ';' || line.charAt(0) == '#') {
                continue;
            }
            if (line.charAt(0) == '[') {
                if (!line.endsWith("]")) {
                    errors.add(new ConfigError(at, null, null,
                            "section header is not closed: '" + line + "'",
                            "[name] on a line of its own", null));
                    current = null;
                    continue;
                }
                String name = line.substring(1, line.length() - 1).strip();
                current = new Scanned(name, at);
                out.add(current);
                continue;
            }
            if (current == null) {
                current = new Scanned(IniSection.GLOBAL, Location.file(source, i + 1));
                out.add(current);
            }
            int sep = separator(line);
            String key = sep < 0 ? line : line.substring(0, sep).strip();
            String value = sep < 0 ? null : line.substring(sep + 1).strip();
            current.keys.add(new ScannedKey(key, value, at));
        }
        return out;
    }

    /** ini4j splits a line at the first '=' or ':'. */
    private static int separator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    /** Drops lines the pre-scan already reported, so ini4j parses the rest. */
    private static String cleaned(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\\R", -1)) {
            String s = line.strip();
            if (s.startsWith("[") && !s.endsWith("]")) {
                b.append('\n');
            } else {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + " " + e.getMessage();
    }
}
