package org.tandem.gateway.sip;

import java.util.Locale;

/**
 * RFC 4028 Session-Expires / Min-SE values. {@code Session-Expires: 1800;refresher=uac}, compact
 * form {@code x:}; {@code Min-SE: 90}.
 *
 * @param intervalS delta-seconds
 * @param refresher "uac", "uas" or null when the sender left it open
 */
record SessionTimerHeaders(int intervalS, String refresher) {
    static final String SESSION_EXPIRES = "Session-Expires";
    static final String MIN_SE = "Min-SE";
    /** RFC 4028 section 4: the absolute minimum a peer may ask for. */
    static final int RFC_MIN_SE_S = 90;

    /** Parses a Session-Expires value; null if absent or unreadable (treated as absent). */
    static SessionTimerHeaders parse(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(";");
        try {
            int interval = Integer.parseInt(parts[0].trim());
            String refresher = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("refresher=")) {
                    refresher = p.substring("refresher=".length()).trim();
                }
            }
            if (interval <= 0 || (refresher != null && !refresher.equals("uac") && !refresher.equals("uas"))) {
                return null;
            }
            return new SessionTimerHeaders(interval, refresher);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses Min-SE; the given default if absent or unreadable. */
    static int parseMinSe(String value, int dflt) {
        if (value == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(value.split(";")[0].trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    String encode() {
        return refresher == null ? Integer.toString(intervalS) : intervalS + ";refresher=" + refresher;
    }

    /**
     * When the side that is not the refresher gives up: RFC 4028 section 10, BYE "before the
     * session expires ... the minimum of 32 seconds and one third of the interval" before it.
     */
    long expiryDelayMs() {
        return (intervalS - Math.min(32L, intervalS / 3L)) * 1000L;
    }

    /** When the refresher refreshes: half the interval (RFC 4028 section 7.2 recommends it). */
    long refreshDelayMs() {
        return intervalS * 1000L / 2;
    }
}
