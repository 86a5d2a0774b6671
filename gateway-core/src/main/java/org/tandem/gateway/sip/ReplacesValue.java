package org.tandem.gateway.sip;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The dialog a {@code Replaces} header names (RFC 3891 6.1): {@code call-id;to-tag=..;from-tag=..}
 * (and an optional {@code early-only}), as it arrives in an INVITE or, URI-escaped, as the
 * {@code ?Replaces=} header of a REFER's Refer-To (RFC 3891 7.1, RFC 3261 19.1.1). Pure parsing,
 * no stack types.
 *
 * <p>The tags are named from the point of view of the UA that receives the INVITE with Replaces
 * (RFC 3891 3): {@code to-tag} is that UA's own (local) tag of the dialog, {@code from-tag} the
 * other party's. When the gateway is that UA, the dialog matches when its local tag is the to-tag
 * and its remote tag the from-tag ({@link #names}).
 *
 * @param callId the dialog's Call-ID
 * @param toTag the local tag of the dialog at the UA that receives the Replaces
 * @param fromTag the remote tag of the dialog at that UA
 * @param earlyOnly {@code early-only}: only an early (unanswered) dialog may be replaced
 */
public record ReplacesValue(String callId, String toTag, String fromTag, boolean earlyOnly) {

    /**
     * Parses a Replaces value; {@code escaped} when it comes from a URI header (%XX escapes are
     * decoded first). Null when it is malformed: no Call-ID, or a to-tag or from-tag missing
     * (both are mandatory, RFC 3891 6.1).
     */
    public static ReplacesValue parse(String value, boolean escaped) {
        if (value == null) {
            return null;
        }
        String v = escaped ? unescape(value) : value;
        if (v == null) {
            return null;
        }
        String[] parts = v.split(";");
        String callId = parts[0].trim();
        if (callId.isEmpty()) {
            return null;
        }
        String to = null;
        String from = null;
        boolean early = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String val = eq < 0 ? "" : p.substring(eq + 1).trim();
            switch (name) {
                case "to-tag" -> to = val;
                case "from-tag" -> from = val;
                case "early-only" -> early = true;
                default -> { } // generic parameters are allowed and ignored
            }
        }
        if (to == null || from == null || to.isEmpty() || from.isEmpty()) {
            return null;
        }
        return new ReplacesValue(callId, to, from, early);
    }

    /** True when this names the dialog with these tags as the gateway holds it. */
    public boolean names(String dialogCallId, String localTag, String remoteTag) {
        return callId.equals(dialogCallId) && toTag.equals(localTag) && fromTag.equals(remoteTag);
    }

    /** %XX decoding of a URI header value (RFC 3986 2.1); null on a bad escape. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else {
                return null; // not a valid URI character
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
