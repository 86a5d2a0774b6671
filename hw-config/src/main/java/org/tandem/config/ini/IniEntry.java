package org.tandem.config.ini;

import org.tandem.config.Location;

/** One {@code key = value} line; {@code value} is null for a bare {@code key} with no separator. */
public record IniEntry(String key, String value, Location location) {
}
