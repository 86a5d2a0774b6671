package org.tandem.gateway.metrics;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format, version 0.0.4: per metric family one
 * {@code # HELP} and one {@code # TYPE} line, then its samples, families never interleaved, each
 * family once. Label values are escaped (backslash, double quote, line feed); values are Go-style
 * floats ({@code +Inf}, {@code NaN}, integers without a fraction). Not thread-safe: one per scrape.
 */
final class ExpositionWriter {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    enum Type {
        COUNTER, GAUGE, HISTOGRAM;

        String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final StringBuilder out = new StringBuilder(16 * 1024);
    private final Set<String> families = new HashSet<>();
    private String current;

    /** Starts a family; its samples follow. A family started twice is a programming error. */
    ExpositionWriter family(String name, Type type, String help) {
        if (!NAME.matcher(name).matches() || !families.add(name)) {
            throw new IllegalArgumentException("bad or repeated metric family " + name);
        }
        current = name;
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type.token()).append('\n');
        return this;
    }

    /** A sample of the current family; {@code labels} are name, value pairs. */
    ExpositionWriter sample(double value, String... labels) {
        return sample("", value, labels);
    }

    /**
     * A sample named family + {@code suffix} ({@code _bucket}, {@code _sum}, {@code _count} of a
     * histogram; "" otherwise).
     */
    ExpositionWriter sample(String suffix, double value, String... labels) {
        if (current == null || labels.length % 2 != 0) {
            throw new IllegalStateException("sample outside a family or odd label list");
        }
        out.append(current).append(suffix);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException("bad label name " + labels[i]);
                }
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escapeLabel(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    private void escapeLabel(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** A float as Prometheus parses it: integers without ".0", +Inf/-Inf/NaN spelled its way. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
