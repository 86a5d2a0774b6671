package org.tandem.gateway.interwork;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Redirection between SIP headers and the ISDN Redirecting number, as pure text rules.
 *
 * <p><b>Diversion (RFC 5806)</b>: {@code Diversion: <sip:2000@host>;reason=user-busy;counter=1},
 * the newest diversion top-most. Read: the top entry is the redirecting party (its reason, its
 * {@code privacy=full|uri} as restricted presentation), the counters are summed (a missing counter
 * counts 1), the bottom entry of several is the original called party. Written: one entry for the
 * redirecting party, and below it one for the original called party when it is known (counters
 * then add up to the count).
 *
 * <p><b>History-Info (RFC 7044, cause values of RFC 4458)</b>: one entry per target the request
 * had, by {@code index}; the last is the current target, whose {@code cause} URI parameter says
 * why the call was diverted to it. Read: the redirecting party is the last entry whose number
 * differs from the current target's, the reason the current target's cause (else an escaped
 * {@code Reason} of the redirecting entry, RFC 7044 9.4), the count the number of changes of
 * number along the entries, the first entry the original called party; {@code Privacy=history}
 * escaped in the redirecting entry, or a {@code Privacy: history} header, restricts it. Written:
 * {@code <sip:ORIG@gw>;index=1}, {@code <sip:REDIR@gw>;index=1.1;mp=1},
 * {@code <TARGET;cause=N>;index=1.1.1;mp=1.1} (without the first when there is no original
 * called party), the redirecting entry with {@code ?Privacy=history} when restricted.
 *
 * <p>Malformed input (no name-addr, no number, a counter or index that is not digits) throws
 * {@link IllegalArgumentException} with what was wrong; callers log it and carry on without
 * redirection. At most {@value #MAX_ENTRIES} entries are read per header kind.
 */
public final class RedirectionMapper {
    public static final String DIVERSION = "Diversion";
    public static final String HISTORY_INFO = "History-Info";
    static final int MAX_ENTRIES = 32;

    private RedirectionMapper() {
    }

    // ---- SIP -> PSTN --------------------------------------------------------------------------

    /**
     * The redirection of a received INVITE, reading the headers {@code mode} allows (Diversion
     * first when both are allowed and present), empty when there is none.
     *
     * @throws IllegalArgumentException when the header read is malformed
     */
    public static Optional<Redirection> fromSip(ReceivedRedirection r, RedirectionHeaders mode) {
        if (mode.diversion() && !r.diversion().isEmpty()) {
            return fromDiversion(r.diversion());
        }
        if (mode.historyInfo() && !r.historyInfo().isEmpty()) {
            return fromHistoryInfo(r.historyInfo(), r.privacyHistory());
        }
        return Optional.empty();
    }

    /** RFC 5806 Diversion values, top-most first. */
    public static Optional<Redirection> fromDiversion(List<String> values) {
        List<Entry> entries = entries(values);
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        int count = 0;
        for (Entry e : entries) {
            String c = e.params.get("counter");
            if (c == null) {
                count++;
            } else if (c.matches("[0-9]{1,2}")) {
                count += Math.max(1, Integer.parseInt(c));
            } else {
                throw new IllegalArgumentException("Diversion counter '" + c + "' is not 1*2DIGIT (RFC 5806)");
            }
        }
        Entry top = entries.get(0);
        String privacy = top.params.getOrDefault("privacy", "off");
        boolean restricted = privacy.equals("full") || privacy.equals("uri");
        String original = entries.size() > 1 ? entries.get(entries.size() - 1).user : null;
        return Optional.of(new Redirection(top.user, restricted ? Presentation.RESTRICTED : Presentation.ALLOWED,
                RedirectionReason.fromDiversionToken(top.params.get("reason")),
                Math.min(count, Redirection.MAX_COUNT), original));
    }

    /** RFC 7044 History-Info values in message order; {@code privacyHistory}: a Privacy: history header. */
    public static Optional<Redirection> fromHistoryInfo(List<String> values, boolean privacyHistory) {
        List<Entry> entries = new ArrayList<>(entries(values));
        for (Entry e : entries) {
            String index = e.params.get("index");
            if (index == null || !index.matches("[0-9]{1,5}(\\.[0-9]{1,5}){0,31}")) {
                throw new IllegalArgumentException("History-Info entry <" + e.uri + "> has no valid index (RFC 7044 10.3): "
                        + index);
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> e.params.get("index"), RedirectionMapper::compareIndex));
        if (entries.size() < 2) {
            return Optional.empty();
        }
        Entry target = entries.get(entries.size() - 1);
        String targetDigits = IdentityMapper.digits(target.user);
        int changes = 0;
        for (int i = 1; i < entries.size(); i++) {
            if (!IdentityMapper.digits(entries.get(i).user).equals(IdentityMapper.digits(entries.get(i - 1).user))) {
                changes++;
            }
        }
        Entry redirecting = null;
        for (int i = entries.size() - 2; i >= 0 && redirecting == null; i--) {
            if (!IdentityMapper.digits(entries.get(i).user).equals(targetDigits)) {
                redirecting = entries.get(i);
            }
        }
        if (redirecting == null) {
            return Optional.empty(); // the same number all along: a proxy's retries, no diversion
        }
        RedirectionReason reason = RedirectionReason.UNKNOWN;
        String cause = target.uriParams.get("cause");
        if (cause != null && cause.matches("[0-9]{3}")) {
            reason = RedirectionReason.fromHistoryInfoCause(Integer.parseInt(cause));
        } else if (redirecting.uriHeaders.containsKey("reason")) {
            reason = Reason.parseAll(redirecting.uriHeaders.get("reason")).stream()
                    .filter(r -> r.protocol().equalsIgnoreCase("SIP")).findFirst()
                    .map(r -> RedirectionReason.fromResponseStatus(r.cause())).orElse(RedirectionReason.UNKNOWN);
        }
        boolean restricted = privacyHistory
                || "history".equalsIgnoreCase(redirecting.uriHeaders.getOrDefault("privacy", "").trim());
        String original = entries.get(0) != redirecting
                && !IdentityMapper.digits(entries.get(0).user).equals(targetDigits) ? entries.get(0).user : null;
        return Optional.of(new Redirection(redirecting.user, restricted ? Presentation.RESTRICTED : Presentation.ALLOWED,
                reason, Math.max(1, Math.min(changes, Redirection.MAX_COUNT)), original));
    }

    // ---- PSTN -> SIP --------------------------------------------------------------------------

    /** Diversion values for an INVITE, top-most first; URIs {@code sip:NUMBER@host}. */
    public static List<String> toDiversion(Redirection r, String host) {
        List<String> out = new ArrayList<>(2);
        boolean withOriginal = r.originalCalledUser() != null && r.count() > 1
                && !r.originalCalledUser().equals(r.redirectingUser());
        int topCounter = withOriginal ? r.count() - 1 : r.count();
        out.add(diversionEntry("sip:" + r.redirectingUser() + "@" + host, r.reason(), topCounter, r.restricted()));
        if (withOriginal) {
            out.add(diversionEntry("sip:" + r.originalCalledUser() + "@" + host, RedirectionReason.UNKNOWN, 1, false));
        }
        return out;
    }

    /** One Diversion entry (also used for the diversions the SIP side makes on a 3xx). */
    public static String diversionEntry(String uri, RedirectionReason reason, int counter, boolean privacyFull) {
        return "<" + uri + ">;reason=" + reason.diversionToken() + ";counter=" + counter
                + (privacyFull ? ";privacy=full" : "");
    }

    /**
     * History-Info values for an INVITE to {@code targetUri} (its Request-URI); the diverting
     * parties as {@code sip:NUMBER@host}.
     */
    public static List<String> toHistoryInfo(Redirection r, String host, String targetUri) {
        List<String> out = new ArrayList<>(3);
        String redirecting = "<sip:" + r.redirectingUser() + "@" + host + (r.restricted() ? "?Privacy=history" : "")
                + ">";
        String index;
        if (r.originalCalledUser() != null && !r.originalCalledUser().equals(r.redirectingUser())) {
            out.add("<sip:" + r.originalCalledUser() + "@" + host + ">;index=1");
            out.add(redirecting + ";index=1.1;mp=1");
            index = "1.1";
        } else {
            out.add(redirecting + ";index=1");
            index = "1";
        }
        out.add("<" + withUriParam(targetUri, "cause=" + r.reason().historyInfoCause()) + ">;index=" + index + ".1;mp="
                + index);
        return out;
    }

    private static String withUriParam(String uri, String param) {
        int q = uri.indexOf('?');
        return q < 0 ? uri + ";" + param : uri.substring(0, q) + ";" + param + uri.substring(q);
    }

    // ---- parsing ------------------------------------------------------------------------------

    /** One name-addr entry: its URI, the URI's user, URI parameters, escaped headers, header params. */
    private record Entry(String uri, String user, Map<String, String> uriParams, Map<String, String> uriHeaders,
            Map<String, String> params) {
    }

    private static List<Entry> entries(List<String> values) {
        List<Entry> out = new ArrayList<>();
        for (String v : values) {
            for (String item : splitEntries(v)) {
                if (out.size() == MAX_ENTRIES) {
                    return out;
                }
                out.add(entry(item));
            }
        }
        return out;
    }

    /** Splits a header value at the commas that are outside a quoted string and outside {@code <>}. */
    static List<String> splitEntries(String value) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        boolean inAngle = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && !inAngle && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                inAngle = true;
            } else if (!quoted && c == '>') {
                inAngle = false;
            } else if (!quoted && !inAngle && c == ',') {
                add(out, value.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted || inAngle) {
            throw new IllegalArgumentException("unterminated " + (quoted ? "quoted string" : "<URI>") + " in '" + value + "'");
        }
        add(out, value.substring(start));
        return out;
    }

    private static void add(List<String> out, String s) {
        if (!s.isBlank()) {
            out.add(s.trim());
        }
    }

    private static Entry entry(String item) {
        int lt = item.indexOf('<');
        int gt = lt < 0 ? -1 : item.indexOf('>', lt + 1);
        if (lt < 0 || gt < 0) {
            throw new IllegalArgumentException("'" + item + "' is not a name-addr (<URI>;params)");
        }
        String uri = item.substring(lt + 1, gt).trim();
        Map<String, String> params = params(item.substring(gt + 1), ';');
        String headersPart = "";
        int q = uri.indexOf('?');
        String noHeaders = uri;
        if (q >= 0) {
            headersPart = uri.substring(q + 1);
            noHeaders = uri.substring(0, q);
        }
        Map<String, String> uriHeaders = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : params(headersPart, '&').entrySet()) {
            uriHeaders.put(h.getKey(), URLDecoder.decode(h.getValue(), StandardCharsets.UTF_8));
        }
        String user = userOf(noHeaders);
        if (user == null || IdentityMapper.digits(user).isEmpty()) {
            throw new IllegalArgumentException("<" + uri + "> names no telephone number");
        }
        String number = (user.startsWith("+") ? "+" : "") + IdentityMapper.digits(user);
        Map<String, String> uriParams = uriParams(noHeaders);
        return new Entry(uri, number, uriParams, uriHeaders, params);
    }

    /** The user of sip:/sips: (before '@', without user parameters) or the number of tel:. */
    private static String userOf(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tel:")) {
            String n = uri.substring(4);
            int semi = n.indexOf(';');
            return semi < 0 ? n : n.substring(0, semi);
        }
        if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
            return null;
        }
        int at = uri.indexOf('@');
        if (at < 0) {
            return null;
        }
        String user = uri.substring(uri.indexOf(':') + 1, at);
        int semi = user.indexOf(';');
        return semi < 0 ? user : user.substring(0, semi);
    }

    /** URI parameters after the host part (sip:user@host:port;a=b;c). */
    private static Map<String, String> uriParams(String uri) {
        int at = uri.indexOf('@');
        int semi = uri.indexOf(';', at < 0 ? 0 : at);
        return semi < 0 ? Map.of() : params(uri.substring(semi), ';');
    }

    /** {@code ;name=value;flag} (or {@code &}) into lower-case names; values unquoted, case kept. */
    private static Map<String, String> params(String s, char sep) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : s.split(sep == ';' ? ";" : "&")) {
            String t = p.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            String name = (eq < 0 ? t : t.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : t.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            } else if (sep == ';') {
                value = value.toLowerCase(Locale.ROOT);
            }
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /** RFC 7044 index order: numerically, level by level (1 < 1.1 < 1.2 < 1.10 < 2). */
    static int compareIndex(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
