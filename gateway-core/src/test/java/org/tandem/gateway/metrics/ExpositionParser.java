package org.tandem.gateway.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict, independent reader of the Prometheus text format 0.0.4, for tests: every line is a
 * {@code # HELP}, a {@code # TYPE} or a sample; a family's HELP and TYPE come once each, before its
 * samples; a family's samples are contiguous; names and labels have the allowed syntax, label
 * values only the three escapes; values parse as Go floats; no series appears twice; counters are
 * not negative; a histogram has {@code le} buckets in increasing order with cumulative counts,
 * a {@code +Inf} bucket equal to {@code _count}, and a {@code _sum}. The output ends with a line
 * feed. Any breach throws {@link IllegalArgumentException} naming the line.
 */
public final class ExpositionParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(Inf|NaN|(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?)");

    /** One sample: name (with suffix), labels in order written, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A family: its type, help and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    private ExpositionParser() {
    }

    /** Parses and checks; families by name in order of appearance. */
    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a line feed");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Map<String, String> helps = new HashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + " '" + line + "'";
            if (line.isEmpty()) {
                throw new IllegalArgumentException(where + ": empty line");
            }
            if (line.startsWith("#")) {
                String[] p = line.split(" ", 4);
                if (p.length < 3 || !p[0].equals("#") || !(p[1].equals("HELP") || p[1].equals("TYPE"))) {
                    continue;                                   // a plain comment is allowed
                }
                String fam = p[2];
                if (!NAME.matcher(fam).matches()) {
                    throw new IllegalArgumentException(where + ": bad metric name");
                }
                if (closed.contains(fam) || (families.containsKey(fam) && !families.get(fam).samples().isEmpty())) {
                    throw new IllegalArgumentException(where + ": HELP/TYPE after the family's samples or"
                            + " a family that appears twice");
                }
                if (current != null && !current.equals(fam)) {
                    closed.add(current);
                }
                current = fam;
                families.putIfAbsent(fam, new Family(fam, "untyped", "", new ArrayList<>()));
                if (p[1].equals("HELP")) {
                    if (helps.put(fam, p.length > 3 ? p[3] : "") != null) {
                        throw new IllegalArgumentException(where + ": second HELP");
                    }
                    checkHelpEscapes(p.length > 3 ? p[3] : "", where);
                } else {
                    String t = p.length > 3 ? p[3] : "";
                    if (!Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(t)) {
                        throw new IllegalArgumentException(where + ": unknown type");
                    }
                    if (types.put(fam, t) != null) {
                        throw new IllegalArgumentException(where + ": second TYPE");
                    }
                }
                Family f = families.get(fam);
                families.put(fam, new Family(fam, types.getOrDefault(fam, "untyped"), helps.getOrDefault(fam, ""),
                        f.samples()));
                continue;
            }
            Sample s = sample(line, where);
            String fam = familyOf(s.name(), types);
            if (closed.contains(fam)) {
                throw new IllegalArgumentException(where + ": family " + fam + " is not contiguous");
            }
            if (current != null && !current.equals(fam)) {
                closed.add(current);
            }
            current = fam;
            Family f = families.computeIfAbsent(fam, k -> new Family(k, "untyped", "", new ArrayList<>()));
            if (!series.add(s.name() + new TreeMap<>(s.labels()))) {
                throw new IllegalArgumentException(where + ": series appears twice");
            }
            if (f.type().equals("counter") && (s.value() < 0 || Double.isNaN(s.value()))) {
                throw new IllegalArgumentException(where + ": a counter below 0");
            }
            if (!f.type().equals("histogram") && !s.name().equals(fam)) {
                throw new IllegalArgumentException(where + ": sample name differs from its family");
            }
            f.samples().add(s);
        }
        for (Family f : families.values()) {
            if (f.type().equals("histogram")) {
                checkHistogram(f);
            }
        }
        return families;
    }

    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if ("histogram".equals(types.get(base)) || "summary".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static void checkHelpEscapes(String help, String where) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                if (i + 1 >= help.length() || (help.charAt(i + 1) != '\\' && help.charAt(i + 1) != 'n')) {
                    throw new IllegalArgumentException(where + ": bad escape in HELP");
                }
                i++;
            }
        }
    }

    private static Sample sample(String line, String where) {
        Matcher m = NAME.matcher(line);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException(where + ": no metric name");
        }
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                Matcher l = LABEL_NAME.matcher(line).region(i, line.length());
                if (!l.lookingAt()) {
                    throw new IllegalArgumentException(where + ": bad label name at " + i);
                }
                String ln = l.group();
                i = l.end();
                if (line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                    throw new IllegalArgumentException(where + ": label without =\"");
                }
                i += 2;
                StringBuilder v = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char e = line.charAt(i + 1);
                        v.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new IllegalArgumentException(where + ": bad escape \\" + e);
                        });
                        i += 2;
                    } else {
                        v.append(c);
                        i++;
                    }
                }
                i++;
                if (labels.put(ln, v.toString()) != null) {
                    throw new IllegalArgumentException(where + ": label " + ln + " twice");
                }
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException(where + ": expected , or } at " + i);
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException(where + ": no space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2 || !FLOAT.matcher(rest[0]).matches()) {
            throw new IllegalArgumentException(where + ": bad value");
        }
        if (rest.length == 2 && !rest[1].matches("-?\\d+")) {
            throw new IllegalArgumentException(where + ": bad timestamp");
        }
        String v = rest[0].replace("Inf", "Infinity");
        return new Sample(name, labels, Double.parseDouble(v));
    }

    private static void checkHistogram(Family f) {
        Map<String, List<Sample>> buckets = new LinkedHashMap<>();
        Map<String, Double> counts = new HashMap<>();
        Set<String> sums = new HashSet<>();
        for (Sample s : f.samples()) {
            Map<String, String> rest = new TreeMap<>(s.labels());
            rest.remove("le");
            String key = rest.toString();
            if (s.name().equals(f.name() + "_bucket")) {
                if (!s.labels().containsKey("le")) {
                    throw new IllegalArgumentException(f.name() + ": bucket without le");
                }
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            } else if (s.name().equals(f.name() + "_count")) {
                counts.put(key, s.value());
            } else if (s.name().equals(f.name() + "_sum")) {
                sums.add(key);
            } else {
                throw new IllegalArgumentException(f.name() + ": sample " + s.name() + " in a histogram");
            }
        }
        for (Map.Entry<String, List<Sample>> e : buckets.entrySet()) {
            double le = Double.NEGATIVE_INFINITY;
            double count = 0;
            for (Sample b : e.getValue()) {
                double bound = Double.parseDouble(b.labels().get("le").replace("Inf", "Infinity"));
                if (bound <= le || b.value() < count) {
                    throw new IllegalArgumentException(f.name() + ": buckets not increasing/cumulative at le="
                            + b.labels().get("le"));
                }
                le = bound;
                count = b.value();
            }
            if (le != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(f.name() + ": no +Inf bucket");
            }
            if (!counts.containsKey(e.getKey()) || counts.get(e.getKey()) != count || !sums.contains(e.getKey())) {
                throw new IllegalArgumentException(f.name() + ": _count differs from the +Inf bucket, or no _sum");
            }
        }
    }

    /** The value of the one sample named {@code name} with exactly these labels, or null. */
    public static Double value(Map<String, Family> families, String name, String... labels) {
        Map<String, String> want = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        for (Family f : families.values()) {
            for (Sample s : f.samples()) {
                if (s.name().equals(name) && new TreeMap<>(s.labels()).equals(want)) {
                    return s.value();
                }
            }
        }
        return null;
    }
}
