package org.tandem.config.validate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.tandem.config.ChannelSet;
import org.tandem.config.Cidr;
import org.tandem.config.HostPort;
import org.tandem.config.NumberRewrite;
import org.tandem.config.PortRange;
import org.tandem.config.RouteTarget;
import org.tandem.config.Secret;
import org.tandem.config.Token;

/** The value types the schema uses. Each says in {@link ValueType#accepted()} what it takes. */
public final class ValueTypes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern DIGITS = Pattern.compile("[0-9*#+]*");

    private ValueTypes() {
    }

    private static <T> ValueType<T> of(String accepted, Parser<T> parser) {
        return new ValueType<>() {
            @Override
            public T parse(String raw, ValueContext ctx) throws BadValue {
                return parser.parse(raw, ctx);
            }

            @Override
            public String accepted() {
                return accepted;
            }
        };
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String raw, ValueContext ctx) throws BadValue;
    }

    public static ValueType<String> text() {
        return of("any text", (raw, ctx) -> {
            if (raw.isEmpty()) {
                throw new BadValue("is empty");
            }
            return raw;
        });
    }

    public static ValueType<String> name() {
        return of("a name of letters, digits, '-' and '_'", (raw, ctx) -> {
            if (!NAME.matcher(raw).matches()) {
                throw new BadValue("'" + raw + "' is not a name");
            }
            return raw;
        });
    }

    /** A phone number or prefix: digits, '*', '#', '+'. Empty allowed when {@code allowEmpty}. */
    public static ValueType<String> digits(boolean allowEmpty) {
        return of(allowEmpty ? "digits, '*', '#', '+' (may be empty)" : "digits, '*', '#', '+'",
                (raw, ctx) -> {
                    if (!DIGITS.matcher(raw).matches() || (!allowEmpty && raw.isEmpty())) {
                        throw new BadValue("'" + raw + "' is not a number");
                    }
                    return raw;
                });
    }

    public static ValueType<Integer> integer(int min, int max) {
        return of("an integer " + min + "-" + max, (raw, ctx) -> {
            int v;
            try {
                v = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new BadValue("'" + raw + "' is not an integer");
            }
            if (v < min || v > max) {
                throw new BadValue(v + " is out of range");
            }
            return v;
        });
    }

    /** One of the listed integers only (e.g. ptime 10, 20, 30). */
    public static ValueType<Integer> oneOfInts(int... allowed) {
        String list = Arrays.stream(allowed).mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
        return of(list, (raw, ctx) -> {
            int v;
            try {
                v = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw new BadValue("'" + raw + "' is not an integer");
            }
            if (Arrays.stream(allowed).noneMatch(a -> a == v)) {
                throw new BadValue(v + " is not allowed");
            }
            return v;
        });
    }

    public static ValueType<Boolean> bool() {
        return of("yes/no, true/false, on/off, 1/0", (raw, ctx) -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1" -> true;
            case "no", "false", "off", "0" -> false;
            default -> throw new BadValue("'" + raw + "' is not a yes/no value");
        });
    }

    public static <E extends Enum<E> & Token> ValueType<E> oneOf(Class<E> type) {
        E[] values = type.getEnumConstants();
        String list = Arrays.stream(values).map(Token::token).collect(Collectors.joining(", "));
        return of(list, (raw, ctx) -> {
            for (E e : values) {
                if (e.token().equalsIgnoreCase(raw)) {
                    return e;
                }
            }
            String near = Suggest.nearest(raw.toLowerCase(Locale.ROOT),
                    Arrays.stream(values).map(Token::token).toList());
            throw new BadValue("'" + raw + "' is not one of the choices"
                    + (near == null ? "" : "; did you mean '" + near + "'?"));
        });
    }

    /** {@code host:port}, {@code [v6]:port}; {@code defaultPort} > 0 makes the port optional. */
    public static ValueType<HostPort> hostPort(int defaultPort) {
        String accepted = defaultPort > 0
                ? "host[:port] (port defaults to " + defaultPort + "), IPv6 as [::1]:port"
                : "host:port, e.g. 127.0.0.1:5060 or [::1]:5060";
        return of(accepted, (raw, ctx) -> {
            String host;
            String port = null;
            if (raw.startsWith("[")) {
                int close = raw.indexOf(']');
                if (close < 0) {
                    throw new BadValue("'" + raw + "' has no closing ']'");
                }
                host = raw.substring(1, close);
                String rest = raw.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw new BadValue("'" + raw + "' is not host:port");
                    }
                    port = rest.substring(1);
                }
            } else {
                int colon = raw.lastIndexOf(':');
                if (colon >= 0 && raw.indexOf(':') != colon) {
                    throw new BadValue("'" + raw + "' looks like a bare IPv6 address; write it as [addr]:port");
                }
                host = colon < 0 ? raw : raw.substring(0, colon);
                port = colon < 0 ? null : raw.substring(colon + 1);
            }
            if (host.isEmpty() || !HOST.matcher(host.contains(":") ? "[" + host + "]" : host).matches()) {
                throw new BadValue("'" + raw + "' has no valid host");
            }
            int p;
            if (port == null) {
                if (defaultPort <= 0) {
                    throw new BadValue("'" + raw + "' has no port");
                }
                p = defaultPort;
            } else {
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw new BadValue("port '" + port + "' is not a number");
                }
                if (p < 1 || p > 65535) {
                    throw new BadValue("port " + p + " is outside 1-65535");
                }
            }
            return new HostPort(host, p);
        });
    }

    public static ValueType<String> host() {
        return of("a host name or IP address", (raw, ctx) -> {
            if (!HOST.matcher(raw).matches() && !HOST.matcher("[" + raw + "]").matches()) {
                throw new BadValue("'" + raw + "' is not a host name or address");
            }
            return raw;
        });
    }

    public static ValueType<PortRange> portRange() {
        return of("FIRST-LAST within 1024-65535, at least 2 ports, e.g. 20000-29999", (raw, ctx) -> {
            String[] p = raw.split("-", -1);
            if (p.length != 2) {
                throw new BadValue("'" + raw + "' is not a range");
            }
            int a;
            int b;
            try {
                a = Integer.parseInt(p[0].strip());
                b = Integer.parseInt(p[1].strip());
            } catch (NumberFormatException e) {
                throw new BadValue("'" + raw + "' is not a range of numbers");
            }
            if (a < 1024 || b > 65535 || b <= a) {
                throw new BadValue(raw + " is not an ascending range within 1024-65535");
            }
            return new PortRange(a, b);
        });
    }

    /** DiffServ code point: a name (EF, CS0-CS7, AF11-AF43) or a number 0-63. */
    public static ValueType<Integer> dscp() {
        return of("EF, CS0-CS7, AF11-AF43 or a number 0-63", (raw, ctx) -> {
            String u = raw.toUpperCase(Locale.ROOT);
            if (u.equals("EF")) {
                return 46; // RFC 3246
            }
            if (u.matches("CS[0-7]")) {
                return 8 * (u.charAt(2) - '0'); // RFC 2474 class selectors
            }
            if (u.matches("AF[1-4][1-3]")) {
                return 8 * (u.charAt(2) - '0') + 2 * (u.charAt(3) - '0'); // RFC 2597
            }
            try {
                int v = Integer.parseInt(raw);
                if (v >= 0 && v <= 63) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
            throw new BadValue("'" + raw + "' is not a DSCP");
        });
    }

    /** Comma-separated list; blanks around items ignored; empty text is an empty list. */
    public static <T> ValueType<List<T>> list(ValueType<T> item) {
        return of("a comma-separated list of " + item.accepted(), (raw, ctx) -> {
            List<T> out = new ArrayList<>();
            if (raw.isBlank()) {
                return out;
            }
            for (String s : raw.split(",", -1)) {
                String t = s.strip();
                if (t.isEmpty()) {
                    throw new BadValue("'" + raw + "' has an empty list item");
                }
                try {
                    out.add(item.parse(t, ctx));
                } catch (BadValue e) {
                    throw new BadValue("item " + e.getMessage(), "a comma-separated list of "
                            + (e.accepted() != null ? e.accepted() : item.accepted()));
                }
            }
            return List.copyOf(out);
        });
    }

    /** Timeslots as numbers and ranges: {@code 1-15,17-31}. Repeats are errors. */
    public static ValueType<ChannelSet> channels() {
        return of("timeslots and ranges such as 1-15,17-31", (raw, ctx) -> {
            List<Integer> all = new ArrayList<>();
            Map<Integer, String> from = new LinkedHashMap<>();
            for (String s : raw.split(",", -1)) {
                String t = s.strip();
                int a;
                int b;
                try {
                    int dash = t.indexOf('-');
                    a = Integer.parseInt((dash < 0 ? t : t.substring(0, dash)).strip());
                    b = dash < 0 ? a : Integer.parseInt(t.substring(dash + 1).strip());
                } catch (NumberFormatException e) {
                    throw new BadValue("'" + t + "' is not a timeslot or range");
                }
                if (a < 1 || b < a) {
                    throw new BadValue("'" + t + "' is not an ascending range of timeslots from 1");
                }
                for (int c = a; c <= b; c++) {
                    String prev = from.put(c, t);
                    if (prev != null) {
                        throw new BadValue("timeslot " + c + " is listed twice ('" + prev + "' and '"
                                + t + "')");
                    }
                    all.add(c);
                }
            }
            return ChannelSet.of(all.stream().mapToInt(Integer::intValue).toArray());
        });
    }

    public static ValueType<Pattern> regex() {
        return of("a Java regular expression matching the whole number, e.g. 100[0-9]", (raw, ctx) -> {
            try {
                return Pattern.compile(raw);
            } catch (PatternSyntaxException e) {
                throw new BadValue("regular expression does not compile: " + e.getDescription()
                        + " near index " + e.getIndex());
            }
        });
    }

    /** {@code s/REGEX/REPLACEMENT/}: Java regex, {@code $1} for groups. */
    public static ValueType<NumberRewrite> replace() {
        return of("s/REGEX/REPLACEMENT/, e.g. s/^00/+/", (raw, ctx) -> {
            if (!raw.startsWith("s/") || !raw.endsWith("/") || raw.length() < 4) {
                throw new BadValue("'" + raw + "' is not s/REGEX/REPLACEMENT/");
            }
            String body = raw.substring(2, raw.length() - 1);
            int mid = body.indexOf('/');
            if (mid < 0) {
                throw new BadValue("'" + raw + "' is not s/REGEX/REPLACEMENT/");
            }
            String replacement = body.substring(mid + 1);
            if (replacement.indexOf('/') >= 0) {
                throw new BadValue("'" + raw + "' has more than three '/'");
            }
            try {
                Pattern p = Pattern.compile(body.substring(0, mid));
                p.matcher("").replaceAll(replacement);
                return new NumberRewrite(p, replacement, 0, "", null, null);
            } catch (PatternSyntaxException e) {
                throw new BadValue("regular expression does not compile: " + e.getDescription()
                        + " near index " + e.getIndex());
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new BadValue("replacement '" + replacement + "' is invalid: " + e.getMessage());
            }
        });
    }

    public static ValueType<RouteTarget> target() {
        return of("group:NAME, trunk:NAME, a sip: URI, user:NAME or users", (raw, ctx) -> {
            if (raw.startsWith("group:")) {
                return new RouteTarget(RouteTarget.Kind.GROUP, name().parse(raw.substring(6), ctx));
            }
            if (raw.startsWith("trunk:")) {
                return new RouteTarget(RouteTarget.Kind.TRUNK, name().parse(raw.substring(6), ctx));
            }
            if (raw.startsWith("user:")) {
                return new RouteTarget(RouteTarget.Kind.USER, name().parse(raw.substring(5), ctx));
            }
            if (raw.equals("users")) {
                return RouteTarget.USERS;
            }
            if (raw.matches("sips?:([^@\\s]+@)?[A-Za-z0-9.\\[\\]:_-]+(;[^\\s]*)?")) {
                return new RouteTarget(RouteTarget.Kind.URI, raw);
            }
            throw new BadValue("'" + raw + "' is not a route target");
        });
    }

    /**
     * {@code [route] redirect}: {@code users} or a {@code sip:} URI (the Contact of the 302), checked
     * like a route target's URI.
     */
    public static ValueType<String> redirect() {
        return of("users or a sip: URI", (raw, ctx) -> {
            if (raw.equalsIgnoreCase(org.tandem.config.RouteConfig.REDIRECT_USERS)) {
                return org.tandem.config.RouteConfig.REDIRECT_USERS;
            }
            if (raw.matches("sip:([^@\\s]+@)?[A-Za-z0-9.\\[\\]:_-]+(;[^\\s]*)?")) {
                return raw;
            }
            throw new BadValue("'" + raw + "' is neither users nor a sip: URI");
        });
    }

    /** An address or address block: {@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code ::1}. */
    public static ValueType<Cidr> cidr() {
        return of("IP addresses or CIDR blocks, e.g. 127.0.0.0/8, ::1", (raw, ctx) -> {
            int slash = raw.indexOf('/');
            String addr = slash < 0 ? raw : raw.substring(0, slash);
            if (!addr.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new BadValue("'" + raw + "' is not an IP address (host names are not allowed here)");
            }
            InetAddress a;
            try {
                a = InetAddress.getByName(addr); // a literal: no DNS lookup
            } catch (UnknownHostException e) {
                throw new BadValue("'" + raw + "' is not an IP address");
            }
            int max = a.getAddress().length * 8;
            int len = max;
            if (slash >= 0) {
                try {
                    len = Integer.parseInt(raw.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new BadValue("'" + raw + "' has no prefix length after '/'");
                }
                if (len < 0 || len > max) {
                    throw new BadValue("prefix length " + len + " is outside 0-" + max);
                }
            }
            return new Cidr(raw, a, len);
        });
    }

    public static ValueType<Path> path() {
        return of("a path; relative paths start at the Tandem home directory", (raw, ctx) -> {
            try {
                return ctx.baseDir().resolve(raw).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new BadValue("'" + raw + "' is not a path: " + e.getReason());
            }
        });
    }

    /**
     * A secret: {@code env:VAR} (an environment variable), {@code file:PATH} (the file's first
     * line; relative paths start at the Tandem home directory) or the literal text.
     */
    public static ValueType<Secret> secret(int minLength) {
        String accepted = "env:VARIABLE, file:/path/to/file or the literal secret"
                + (minLength > 1 ? " of at least " + minLength + " characters" : "");
        return of(accepted, (raw, ctx) -> {
            Secret s;
            if (!ctx.resolveSecrets() && (raw.startsWith("env:") || raw.startsWith("file:"))) {
                if (raw.indexOf(':') == raw.length() - 1) {
                    throw new BadValue("'" + raw + "' names no " + (raw.startsWith("env:") ? "variable" : "file"));
                }
                return new Secret(raw, null);
            }
            if (raw.startsWith("env:")) {
                String var = raw.substring(4);
                String v = var.isEmpty() ? null : ctx.env().apply(var);
                if (v == null) {
                    throw new BadValue("environment variable " + (var.isEmpty() ? "(none named)" : var)
                            + " is not set");
                }
                s = new Secret(raw, v);
            } else if (raw.startsWith("file:")) {
                String written = raw.substring(5);
                Path p = ctx.baseDir().resolve(written);
                String v;
                try {
                    v = Files.readString(p, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                } catch (IOException e) {
                    throw new BadValue("cannot read secret file " + written
                            + (Path.of(written).isAbsolute() ? "" : " (relative to the Tandem home)")
                            + ": " + e.getClass().getSimpleName());
                }
                s = new Secret(raw, v.strip());
            } else {
                s = new Secret("literal", raw);
            }
            if (s.value().length() < Math.max(1, minLength)) {
                throw new BadValue((s.reference().equals("literal") ? "the secret" : s.reference())
                        + (s.value().isEmpty() ? " is empty" : " is shorter than " + minLength
                                + " characters"));
            }
            return s;
        });
    }

    /**
     * A PEM file of certificates (a chain or a CA bundle), read and parsed now so that a wrong path
     * or a broken file is an error with the INI line, not a failure at the first TLS connection.
     * Not read by {@code offline} loads, like secrets.
     */
    public static ValueType<Path> pemCertificates() {
        return pem("a PEM file of certificates ('-----BEGIN CERTIFICATE-----'); relative paths start at the Tandem home",
                org.tandem.config.tls.Pem::certificates);
    }

    /** A PEM file holding one unencrypted PKCS#8 private key, checked like {@link #pemCertificates()}. */
    public static ValueType<Path> pemPrivateKey() {
        return pem("a PEM file with an unencrypted PKCS#8 key ('-----BEGIN PRIVATE KEY-----'); relative paths start"
                + " at the Tandem home", org.tandem.config.tls.Pem::privateKey);
    }

    private interface PemCheck {
        Object read(Path p) throws org.tandem.config.tls.PemException;
    }

    private static ValueType<Path> pem(String accepted, PemCheck check) {
        return of(accepted, (raw, ctx) -> {
            Path p;
            try {
                p = ctx.baseDir().resolve(raw).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new BadValue("'" + raw + "' is not a path: " + e.getReason());
            }
            if (ctx.resolveSecrets()) {
                try {
                    check.read(p);
                } catch (org.tandem.config.tls.PemException e) {
                    throw new BadValue(e.getMessage());
                }
            }
            return p;
        });
    }
}
