package org.tandem.config;

/**
 * Where a setting came from: a file and a 1-based line, or the n-th {@code --set} override.
 * Line 0 means "the file as a whole" (a missing section, an unreadable file).
 */
public record Location(String source, int line, boolean override) {

    public static Location file(String source, int line) {
        return new Location(source, line, false);
    }

    /** The {@code index}-th (1-based) {@code --set} argument, whose text is {@code text}. */
    public static Location override(int index, String text) {
        return new Location("--set " + text, index, true);
    }

    @Override
    public String toString() {
        if (override) {
            return source;
        }
        return line > 0 ? source + ":" + line : source;
    }
}
