package org.tandem.gateway.interwork;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP digest authentication as SIP uses it (RFC 3261 section 22, RFC 2617, RFC 7616 for
 * SHA-256, RFC 8760 for SIP): parsing challenges and credentials, computing responses.
 * Only qop=auth (or no qop, RFC 2069 style) is supported; auth-int is not offered.
 *
 * <p>The server side of a registrar (RFC 3261 section 22.4, RFC 8760) is
 * {@link #challenge(String, String, String, boolean)} to ask, {@link #verifyQopAuth} to judge the
 * answer strictly, {@link #nonceCount} for replay checks, and the self-verifying nonces of
 * {@link #newNonce(byte[], long)} / {@link #nonceIssuedAt}, which need no state per challenge.
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

    // ---- server side: challenges, strict qop=auth verification, self-verifying nonces ----------

    /** How a UAS judged a Digest credential (RFC 7616 section 3.4, qop=auth only). */
    public enum Verdict {
        /** The response is the one the password gives for this method, uri, nonce, nc and cnonce. */
        VALID,
        /** Well formed, but not the response the password gives: wrong password, method or uri. */
        WRONG_RESPONSE,
        /**
         * Not a qop=auth answer to our challenge: a parameter missing or malformed, another realm, an
         * algorithm we do not offer (the {@code -sess} variants, SHA-512-256), {@code userhash=true}.
         */
        MALFORMED
    }

    /**
     * A challenge value, with {@code stale=true} when the client's last answer was right but its
     * nonce was no longer acceptable (RFC 7616 section 3.3: retry without asking the user again).
     */
    public static String challenge(String realm, String nonce, String algorithm, boolean stale) {
        return challenge(realm, nonce, algorithm) + (stale ? ",stale=true" : "");
    }

    /**
     * Judges a credential that answers one of our qop=auth challenges of {@code realm}. Unlike
     * {@link #verify}, it requires everything RFC 7616 section 3.4 makes mandatory with qop:
     * {@code username}, {@code realm} (ours), {@code nonce}, {@code uri}, {@code qop=auth},
     * {@code nc} as 8 hex digits, a non-empty {@code cnonce}, and a {@code response} of the
     * algorithm's length; the algorithm (MD5 when absent, RFC 7616 section 3.3) must be MD5 or
     * SHA-256. The caller still checks that the nonce is ours and fresh ({@link #nonceIssuedAt}) and
     * that {@link #nonceCount} grew since the last request with that nonce.
     *
     * @param method the request's method, e.g. {@code REGISTER}
     * @param password the password of {@code cr.get("username")}; a caller without such a user
     *     passes a dummy so that an unknown user takes the same work as a wrong password
     */
    public static Verdict verifyQopAuth(Credentials cr, String method, String realm, String password) {
        String algorithm = cr.get("algorithm") == null ? "MD5" : cr.get("algorithm");
        String response = cr.get("response");
        if (!isSupported(algorithm) || isEmpty(cr.get("username")) || !realm.equals(cr.get("realm"))
                || isEmpty(cr.get("nonce")) || isEmpty(cr.get("uri")) || isEmpty(cr.get("cnonce"))
                || !"auth".equalsIgnoreCase(cr.get("qop")) || nonceCount(cr) < 0 || response == null
                || "true".equalsIgnoreCase(cr.get("userhash"))) {
            return Verdict.MALFORMED;
        }
        int hexLength = javaAlgorithm(algorithm).equals("MD5") ? 32 : 64;
        if (response.length() != hexLength || !isHex(response)) {
            return Verdict.MALFORMED;
        }
        String expected = response(algorithm, cr.get("username"), realm, password, method, cr.get("uri"),
                cr.get("nonce"), cr.get("nc"), cr.get("cnonce"), "auth");
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))
                ? Verdict.VALID : Verdict.WRONG_RESPONSE;
    }

    /** The {@code nc} parameter (8 hex digits, RFC 7616 section 3.4) as a number; -1 when absent or malformed. */
    public static long nonceCount(Credentials cr) {
        String nc = cr.get("nc");
        if (nc == null || nc.length() != 8 || !isHex(nc)) {
            return -1;
        }
        return Long.parseLong(nc, 16);
    }

    /**
     * A nonce that proves by itself that we issued it and when: 16 hex digits of
     * {@code issuedAtSeconds}, 16 of randomness (two clients challenged in the same second get
     * different nonces, so their nc counts never collide), 32 of HMAC-SHA256 over both under
     * {@code key}. A flood of unauthenticated requests thus costs no memory per challenge.
     *
     * <pre>
     *   0 (hex digit)    16               32                                    64
     *   +----------------+----------------+-------------------------------------+
     *   | issued seconds | random         | HMAC-SHA256(key, digits 0-31), 16 B |
     *   +----------------+----------------+-------------------------------------+
     * </pre>
     */
    public static String newNonce(byte[] key, long issuedAtSeconds) {
        String head = String.format(Locale.ROOT, "%016x", issuedAtSeconds) + HexFormat.of().formatHex(randomBytes(8));
        return head + mac(key, head);
    }

    /** When {@code nonce} was issued (epoch seconds), or -1 when it is not one of {@code key}'s. */
    public static long nonceIssuedAt(byte[] key, String nonce) {
        if (nonce == null || nonce.length() != 64 || !isHex(nonce)) {
            return -1;
        }
        String head = nonce.substring(0, 32).toLowerCase(Locale.ROOT);
        byte[] want = mac(key, head).getBytes(StandardCharsets.US_ASCII);
        byte[] got = nonce.substring(32).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(want, got)) {
            return -1;
        }
        return Long.parseUnsignedLong(head.substring(0, 16), 16);
    }

    private static String mac(byte[] key, String head) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] full = mac.doFinal(head.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(full, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from this JRE", e);
        }
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
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
