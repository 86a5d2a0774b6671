package org.tandem.gateway.interwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One value of the RFC 3326 Reason header: {@code protocol ;cause=N [;text="..."]}, e.g.
 * {@code Q.850;cause=17;text="User busy"}.
 *
 * @param protocol "Q.850" or "SIP" (others are kept as received)
 * @param cause the cause: a Q.850 value for Q.850, a status code for SIP
 * @param text the optional free text, without quotes; null when absent
 */
public record Reason(String protocol, int cause, String text) {
    public static final String HEADER = "Reason";
    public static final String Q850 = "Q.850";
    public static final String SIP = "SIP";

    public Reason {
        if (protocol == null || protocol.isBlank()) {
            throw new IllegalArgumentException("Reason protocol is empty");
        }
    }

    /** A Q.850 reason named after the cause, e.g. cause 17 gives {@code text="User busy"}. */
    public static Reason q850(int cause) {
        return new Reason(Q850, Q850Cause.requireValid(cause), Q850Cause.name(cause));
    }

    public boolean isQ850() {
        return Q850.equalsIgnoreCase(protocol);
    }

    /** The header value (without "Reason: "). Quotes and backslashes in text are escaped (RFC 3261 quoted-string). */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder(protocol).append(";cause=").append(cause);
        if (text != null) {
            sb.append(";text=\"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('"');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toHeaderValue();
    }

    /**
     * Parses a Reason header value, which may list several reasons separated by commas
     * (one per protocol, RFC 3326 section 2). Values that do not parse are skipped, not fatal: a
     * peer's broken Reason must never fail a call.
     */
    public static List<Reason> parseAll(String headerValue) {
        List<Reason> out = new ArrayList<>();
        if (headerValue == null) {
            return out;
        }
        for (String part : splitOutsideQuotes(headerValue, ',')) {
            parse(part).ifPresent(out::add);
        }
        return out;
    }

    /** The first Q.850 reason in a Reason header value, if any. */
    public static Optional<Reason> firstQ850(String headerValue) {
        return parseAll(headerValue).stream().filter(Reason::isQ850).findFirst();
    }

    /** Parses one reason value; empty if it has no protocol or no numeric cause. */
    public static Optional<Reason> parse(String value) {
        List<String> params = splitOutsideQuotes(value, ';');
        if (params.isEmpty() || params.get(0).isBlank()) {
            return Optional.empty();
        }
        String protocol = params.get(0).trim();
        Integer cause = null;
        String text = null;
        for (int i = 1; i < params.size(); i++) {
            String p = params.get(i).trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String v = p.substring(eq + 1).trim();
            if (name.equals("cause")) {
                try {
                    cause = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            } else if (name.equals("text")) {
                text = unquote(v);
            }
        }
        if (cause == null || cause < 0 || (protocol.equalsIgnoreCase(Q850) && cause > 127)) {
            return Optional.empty();
        }
        return Optional.of(new Reason(protocol, cause, text));
    }

    private static String unquote(String v) {
        if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
            return v;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() - 1) {
                c = v.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
