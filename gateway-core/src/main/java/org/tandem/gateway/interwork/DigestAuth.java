package org.tandem.gateway.interwork;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP digest authentication as SIP uses it (RFC 3261 section 22, RFC 2617, RFC 7616 for
 * SHA-256, RFC 8760 for SIP): parsing challenges and credentials, computing responses.
 * Only qop=auth (or no qop, RFC 2069 style) is supported; auth-int is not offered.
 */
public final class DigestAuth {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestAuth() {
    }

    /** A parsed {@code Digest ...} challenge (WWW-Authenticate / Proxy-Authenticate). */
    public record Challenge(String realm, String nonce, String algorithm, String opaque,
            boolean qopAuth, boolean stale) {
    }

    /** A parsed {@code Digest ...} credential (Authorization / Proxy-Authorization). */
    public record Credentials(Map<String, String> params) {
        public String get(String name) {
            return params.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Parses a challenge value; throws if it is not a Digest challenge with realm and nonce. */
    public static Challenge parseChallenge(String headerValue) {
        Map<String, String> p = parseParams(headerValue);
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        if (realm == null || nonce == null) {
            throw new IllegalArgumentException("digest challenge without realm or nonce: " + headerValue);
        }
        String algorithm = p.getOrDefault("algorithm", "MD5");
        boolean qopAuth = false;
        String qop = p.get("qop");
        if (qop != null) {
            for (String q : qop.split(",")) {
                qopAuth |= q.trim().equalsIgnoreCase("auth");
            }
        }
        return new Challenge(realm, nonce, algorithm, p.get("opaque"), qopAuth,
                "true".equalsIgnoreCase(p.get("stale")));
    }

    /** Parses a credentials value ({@code Digest username="..", ...}). */
    public static Credentials parseCredentials(String headerValue) {
        return new Credentials(parseParams(headerValue));
    }

    /** True if we can answer this challenge's algorithm (MD5 or SHA-256, not the -sess variants). */
    public static boolean isSupported(String algorithm) {
        return javaAlgorithm(algorithm) != null;
    }

    /**
     * Builds the Authorization / Proxy-Authorization value answering a challenge.
     *
     * @param nonceCount how many times this nonce has been used, starting at 1
     */
    public static String authorize(Challenge c, String method, String uri, String username,
            String password, int nonceCount) {
        String cnonce = HexFormat.of().formatHex(randomBytes(8));
        String nc = String.format(Locale.ROOT, "%08x", nonceCount);
        String response = response(c.algorithm(), username, c.realm(), password, method, uri,
                c.nonce(), c.qopAuth() ? nc : null, c.qopAuth() ? cnonce : null, c.qopAuth() ? "auth" : null);
        StringBuilder sb = new StringBuilder("Digest username=\"").append(escape(username))
                .append("\",realm=\"").append(escape(c.realm()))
                .append("\",nonce=\"").append(escape(c.nonce()))
                .append("\",uri=\"").append(uri)
                .append("\",response=\"").append(response)
                .append("\",algorithm=").append(c.algorithm());
        if (c.opaque() != null) {
            sb.append(",opaque=\"").append(escape(c.opaque())).append('"');
        }
        if (c.qopAuth()) {
            sb.append(",qop=auth,nc=").append(nc).append(",cnonce=\"").append(cnonce).append('"');
        }
        return sb.toString();
    }

    /**
     * The request-digest (RFC 2617 section 3.2.2.1). With qop null the RFC 2069 form
     * H(HA1:nonce:HA2) is used.
     */
    public static String response(String algorithm, String username, String realm, String password,
            String method, String uri, String nonce, String nc, String cnonce, String qop) {
        String ha1 = hash(algorithm, username + ":" + realm + ":" + password);
        String ha2 = hash(algorithm, method + ":" + uri);
        String data = qop == null ? nonce + ":" + ha2 : nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2;
        return hash(algorithm, ha1 + ":" + data);
    }

    /** A challenge value for a UAS: {@code Digest realm="..",nonce="..",algorithm=..,qop="auth"}. */
    public static String challenge(String realm, String nonce, String algorithm) {
        return "Digest realm=\"" + escape(realm) + "\",nonce=\"" + nonce + "\",algorithm=" + algorithm
                + ",qop=\"auth\"";
    }

    /** A fresh unguessable nonce. */
    public static String newNonce() {
        return HexFormat.of().formatHex(randomBytes(16));
    }

    /**
     * Verifies credentials against the password we hold for that user (UAS side).
     * The caller checks that the nonce is one it issued.
     */
    public static boolean verify(Credentials cr, String method, String password) {
        String algorithm = cr.get("algorithm") == null ? "MD5" : cr.get("algorithm");
        if (!isSupported(algorithm) || cr.get("response") == null || cr.get("uri") == null) {
            return false;
        }
        String expected = response(algorithm, cr.get("username"), cr.get("realm"), password, method,
                cr.get("uri"), cr.get("nonce"), cr.get("nc"), cr.get("cnonce"), cr.get("qop"));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                cr.get("response").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    static String hash(String algorithm, String data) {
        String java = javaAlgorithm(algorithm);
        if (java == null) {
            throw new IllegalArgumentException("unsupported digest algorithm " + algorithm
                    + " (supported: MD5, SHA-256)");
        }
        try {
            MessageDigest md = MessageDigest.getInstance(java);
            return HexFormat.of().formatHex(md.digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(java + " missing from this JRE", e);
        }
    }

    private static String javaAlgorithm(String algorithm) {
        if (algorithm == null || algorithm.equalsIgnoreCase("MD5")) {
            return "MD5";
        }
        return algorithm.equalsIgnoreCase("SHA-256") ? "SHA-256" : null;
    }

    /** Parses {@code Digest a="b", c=d} into lower-cased names -> unquoted values. */
    static Map<String, String> parseParams(String value) {
        String s = value.trim();
        if (!s.regionMatches(true, 0, "Digest", 0, 6)) {
            throw new IllegalArgumentException("not a Digest header value: " + value);
        }
        Map<String, String> out = new LinkedHashMap<>();
        int i = 6;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ',' || Character.isWhitespace(s.charAt(i)))) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < n && s.charAt(i) != ',') {
                    v.append(s.charAt(i++));
                }
            }
            out.put(name, v.toString().trim());
        }
        return out;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
