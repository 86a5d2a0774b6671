package org.tandem.gateway.sdp;

import java.util.Base64;
import org.tandem.gateway.srtp.SrtpProfile;

/**
 * One {@code a=crypto} line (RFC 4568 9.1): {@code <tag> <suite> inline:<key||salt>[|lifetime]
 * [|MKI:length] [session-params]}.
 *
 * <p>We do the two AES_CM_128_HMAC_SHA1 suites with one inline key, no MKI and no session
 * parameters, and a lifetime only when it is absent or at least 2^31 (we never re-key within a
 * call, and no call reaches 2^31 packets). A line outside that is kept but not {@link #usable()}:
 * the answerer then picks another line or refuses the stream (RFC 4568 6.1, 7.1.2), it does not
 * fail the whole SDP.
 *
 * <p>{@link #toString()} never shows the key; {@link #attributeValue()} is for the SDP body only.
 *
 * @param tag the line's tag (1 to 9 digits), echoed in the answer
 * @param suite the suite as written
 * @param profile the suite if we do it, else null
 * @param keySalt the 30-byte master key and salt, or null when missing or not 30 bytes
 * @param unsupported why the line cannot be used, or null when it can
 */
public record CryptoAttribute(long tag, String suite, SrtpProfile profile, byte[] keySalt, String unsupported) {
    private static final long MIN_LIFETIME = 1L << 31;

    /** A line we generate. */
    public static CryptoAttribute of(long tag, SrtpProfile profile, byte[] keySalt) {
        if (keySalt.length != SrtpProfile.KEY_SALT_LENGTH) {
            throw new IllegalArgumentException("an SDES inline key is " + SrtpProfile.KEY_SALT_LENGTH + " bytes");
        }
        return new CryptoAttribute(tag, profile.name(), profile, keySalt.clone(), null);
    }

    public boolean usable() {
        return unsupported == null;
    }

    /** The value after {@code a=crypto:}, key included: for the SDP body, never for a log. */
    public String attributeValue() {
        return tag + " " + suite + " inline:" + Base64.getEncoder().encodeToString(keySalt);
    }

    /** Parses the value of an {@code a=crypto:} attribute; null when it is not even a crypto line. */
    public static CryptoAttribute parse(String value) {
        if (value == null) {
            return null;
        }
        String[] f = value.strip().split("[ \t]+");
        if (f.length < 3 || !f[0].matches("[0-9]{1,9}")) {
            return null;
        }
        long tag = Long.parseLong(f[0]);
        String suite = f[1];
        SrtpProfile profile = SrtpProfile.bySdpName(suite);
        if (profile == null) {
            return new CryptoAttribute(tag, suite, null, null, "suite " + suite + " not supported");
        }
        if (f.length > 3) {
            return new CryptoAttribute(tag, suite, profile, null, "session parameters not supported: " + f[3]);
        }
        String keyParams = f[2];
        if (keyParams.indexOf(';') >= 0) {
            return new CryptoAttribute(tag, suite, profile, null, "more than one master key (MKI) not supported");
        }
        if (!keyParams.startsWith("inline:")) {
            return new CryptoAttribute(tag, suite, profile, null, "key method is not inline");
        }
        String[] parts = keyParams.substring("inline:".length()).split("\\|", -1);
        byte[] keySalt;
        try {
            keySalt = Base64.getDecoder().decode(parts[0]);
        } catch (IllegalArgumentException e) {
            return new CryptoAttribute(tag, suite, profile, null, "inline key is not base64");
        }
        if (keySalt.length != SrtpProfile.KEY_SALT_LENGTH) {
            return new CryptoAttribute(tag, suite, profile, null, "inline key is " + keySalt.length
                    + " bytes, not " + SrtpProfile.KEY_SALT_LENGTH);
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.indexOf(':') >= 0) {
                return new CryptoAttribute(tag, suite, profile, keySalt, "MKI not supported");
            }
            long lifetime = lifetime(p);
            if (lifetime < MIN_LIFETIME) {
                return new CryptoAttribute(tag, suite, profile, keySalt, "key lifetime " + p
                        + " shorter than 2^31 (we do not re-key)");
            }
        }
        return new CryptoAttribute(tag, suite, profile, keySalt, null);
    }

    /** {@code 2^N} or a decimal count; -1 when neither. */
    private static long lifetime(String p) {
        try {
            if (p.startsWith("2^")) {
                int e = Integer.parseInt(p.substring(2));
                return e >= 62 ? Long.MAX_VALUE : e < 0 ? -1 : 1L << e;
            }
            return Long.parseLong(p);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "crypto:" + tag + " " + suite + " inline:<redacted>" + (unsupported == null ? "" : " (" + unsupported + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CryptoAttribute c && c.tag == tag && c.suite.equals(suite)
                && java.util.Arrays.equals(c.keySalt, keySalt) && java.util.Objects.equals(c.unsupported, unsupported);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(tag, suite, java.util.Arrays.hashCode(keySalt));
    }

    /**
     * Replaces every inline key in an SDP (or SIP message) text, for logs: all key-params of an
     * {@code a=crypto} line (RFC 4568 9.1 allows several), "inline" in any case.
     */
    public static String redact(String text) {
        return text == null ? null : INLINE.matcher(text).replaceAll("$1<redacted>");
    }

    private static final java.util.regex.Pattern INLINE =
            java.util.regex.Pattern.compile("(?i)(inline:)[^|\\s;,\\]]+");
}
