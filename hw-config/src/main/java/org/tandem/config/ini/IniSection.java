package org.tandem.config.ini;

import java.util.ArrayList;
import java.util.List;
import org.tandem.config.Location;

/**
 * One {@code [name]} block in file order. Keys may repeat here; the validator reports repeats.
 * {@link #GLOBAL} holds lines before the first section header.
 */
public final class IniSection {
    /** ini4j's name for the lines before the first header. */
    public static final String GLOBAL = "?";

    private final String name;
    private final Location location;
    private final List<IniEntry> entries = new ArrayList<>();

    public IniSection(String name, Location location) {
        this.name = name;
        this.location = location;
    }

    public String name() {
        return name;
    }

    public Location location() {
        return location;
    }

    public List<IniEntry> entries() {
        return entries;
    }

    void add(IniEntry entry) {
        entries.add(entry);
    }

    /** Replaces every entry for {@code key} with {@code entry}, or appends it. */
    void set(IniEntry entry) {
        int at = -1;
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).key().equals(entry.key())) {
                entries.remove(i);
                at = i;
            }
        }
        if (at < 0) {
            entries.add(entry);
        } else {
            entries.add(at, entry);
        }
    }
}
