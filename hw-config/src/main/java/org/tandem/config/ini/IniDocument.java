package org.tandem.config.ini;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tandem.config.Location;

/** An INI file as sections and entries in file order, each with its line. No meaning attached yet. */
public final class IniDocument {
    private final String source;
    private final List<IniSection> sections = new ArrayList<>();

    public IniDocument(String source) {
        this.source = source;
    }

    /** The file as the operator named it, used in every error message. */
    public String source() {
        return source;
    }

    public List<IniSection> sections() {
        return Collections.unmodifiableList(sections);
    }

    void add(IniSection section) {
        sections.add(section);
    }

    /** Sets {@code section.key = value} as an override: last section of that name wins. */
    public void override(String section, String key, String value, Location location) {
        IniSection target = null;
        for (IniSection s : sections) {
            if (s.name().equals(section)) {
                target = s;
            }
        }
        if (target == null) {
            target = new IniSection(section, location);
            sections.add(target);
        }
        target.set(new IniEntry(key, value, location));
    }
}
