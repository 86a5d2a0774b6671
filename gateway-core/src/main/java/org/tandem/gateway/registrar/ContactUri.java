package org.tandem.gateway.registrar;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code sip:}/{@code sips:} URI of a Contact, taken apart for the RFC 3261 section 19.1.4
 * comparison a registrar uses to find the binding a Contact refers to (10.3 step 7).
 *
 * <p>Only SIP URIs are accepted: a binding is somewhere the gateway can send an INVITE.
 *
 * @param port the explicit port, or -1 when the URI has none ({@code sip:a@h} and
 *     {@code sip:a@h:5060} are different URIs by 19.1.4)
 * @param params URI parameters, names lower-cased, values as written ("" for a bare name such as
 *     {@code ;ob})
 * @param headers URI headers ({@code ?name=value}), names lower-cased
 */
public record ContactUri(boolean secure, String user, String host, int port, Map<String, String> params,
        Map<String, String> headers) {

    /** Parameters that, present in either URI, must be present and equal in both (19.1.4). */
    private static final String[] MUST_MATCH = {"user", "ttl", "method", "maddr", "transport"};

    /** Parses {@code uri}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static ContactUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        String s = uri.strip();
        boolean secure;
        if (s.regionMatches(true, 0, "sips:", 0, 5)) {
            secure = true;
            s = s.substring(5);
        } else if (s.regionMatches(true, 0, "sip:", 0, 4)) {
            secure = false;
            s = s.substring(4);
        } else {
            throw new IllegalArgumentException("'" + uri + "' is not a sip: or sips: URI");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int q = s.indexOf('?');
        if (q >= 0) {
            for (String h : s.substring(q + 1).split("&")) {
                String[] kv = h.split("=", 2);
                headers.put(unescape(kv[0]).toLowerCase(Locale.ROOT), kv.length > 1 ? unescape(kv[1]) : "");
            }
            s = s.substring(0, q);
        }
        String user = null;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            user = unescape(s.substring(0, at));
            int colon = user.indexOf(':');
            if (colon >= 0) {
                user = user.substring(0, colon); // a password in a URI is not part of who it is
            }
            s = s.substring(at + 1);
        }
        Map<String, String> params = new LinkedHashMap<>();
        int semi = s.indexOf(';');
        if (semi >= 0) {
            for (String p : s.substring(semi + 1).split(";")) {
                if (p.isEmpty()) {
                    continue;
                }
                String[] kv = p.split("=", 2);
                params.put(unescape(kv[0]).toLowerCase(Locale.ROOT), kv.length > 1 ? unescape(kv[1]) : "");
            }
            s = s.substring(0, semi);
        }
        String host;
        int port = -1;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + uri + "' has an IPv6 host without ']'");
            }
            host = s.substring(1, close);
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + uri + "' has text after its IPv6 host");
                }
                portText = s.substring(close + 2);
            }
        } else {
            int colon = s.indexOf(':');
            host = colon < 0 ? s : s.substring(0, colon);
            portText = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_-]+")) {
            throw new IllegalArgumentException("'" + uri + "' has no valid host");
        }
        if (portText != null) {
            if (!portText.matches("[0-9]{1,5}") || Integer.parseInt(portText) < 1
                    || Integer.parseInt(portText) > 65535) {
                throw new IllegalArgumentException("'" + uri + "' has port '" + portText
                        + "', not 1-65535");
            }
            port = Integer.parseInt(portText);
        }
        return new ContactUri(secure, user, host.toLowerCase(Locale.ROOT), port, Map.copyOf(params),
                Map.copyOf(headers));
    }

    /**
     * RFC 3261 section 19.1.4: same scheme; user parts equal case-sensitively after unescaping;
     * hosts equal ignoring case; ports equal (absent is not 5060); {@code user}, {@code ttl},
     * {@code method}, {@code maddr}, {@code transport} equal when either has them; any other
     * parameter equal when both have it; the same headers.
     */
    public boolean sameAs(ContactUri o) {
        if (secure != o.secure || !Objects.equals(user, o.user) || !host.equals(o.host) || port != o.port
                || !headers.equals(o.headers)) {
            return false;
        }
        for (String name : MUST_MATCH) {
            if (!paramEquals(params.get(name), o.params.get(name))) {
                return false;
            }
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (o.params.containsKey(e.getKey()) && !paramEquals(e.getValue(), o.params.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The port a request to this URI goes to when it names none (RFC 3263: 5061 for sips). */
    public int portOrDefault() {
        return port > 0 ? port : secure ? 5061 : 5060;
    }

    /**
     * Parameter values compare ignoring case (19.1.4 leaves it to each parameter; none that Contacts
     * carry in practice, transport, line, ob, maddr, is case-sensitive). Absent equals only absent.
     */
    private static boolean paramEquals(String a, String b) {
        return a == null ? b == null : b != null && a.equalsIgnoreCase(b);
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
