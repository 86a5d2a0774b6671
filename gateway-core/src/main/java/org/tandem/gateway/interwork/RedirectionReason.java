package org.tandem.gateway.interwork;

import java.util.Locale;
import java.util.Map;

/**
 * Why a call was diverted, in the three vocabularies the gateway meets:
 *
 * <pre>
 *  constant       Q.931 redirecting reason (libpri)   RFC 5806 Diversion reason   RFC 4458 cause (History-Info)
 *  UNKNOWN        0  unknown                          unknown                     404
 *  USER_BUSY      1  call forwarding busy             user-busy                   486
 *  NO_ANSWER      2  call forwarding no reply         no-answer                   408
 *  DEFLECTION     3  call deflection                  deflection                  480 (487 also read)
 *  UNAVAILABLE    9  called DTE out of order          unavailable                 503
 *  UNCONDITIONAL 15  call forwarding unconditional    unconditional               302
 * </pre>
 *
 * Read only: Q.931 10 (call forwarding by the called DTE) is taken as a deflection (the called
 * user's equipment diverted it), and so is 4, the ITU code of call deflection (Q.931 / Q.952
 * 0100): libpri 1.6.0 sends and expects its own 3 for it, a switch may send 4; the RFC 5806 tokens {@code time-of-day}, {@code do-not-disturb},
 * {@code follow-me} and {@code away} are services that forward without condition on the call, so
 * they map to unconditional, {@code out-of-service} to unavailable; any other token is unknown.
 */
public enum RedirectionReason {
    UNKNOWN(0x0, "unknown", 404),
    USER_BUSY(0x1, "user-busy", 486),
    NO_ANSWER(0x2, "no-answer", 408),
    DEFLECTION(0x3, "deflection", 480),
    UNAVAILABLE(0x9, "unavailable", 503),
    UNCONDITIONAL(0xF, "unconditional", 302);

    /** Q.931 "call forwarding by the called DTE" (libpri PRI_REDIR_FORWARDED_BY_DTE). */
    public static final int Q931_FORWARDED_BY_DTE = 0xA;
    /** Q.931 / Q.952 "call deflection" as ITU codes it (0100); libpri uses 3 (PRI_REDIR_DEFLECTION). */
    public static final int Q931_ITU_DEFLECTION = 0x4;

    private static final Map<String, RedirectionReason> EXTRA_TOKENS = Map.of(
            "time-of-day", UNCONDITIONAL, "do-not-disturb", UNCONDITIONAL, "follow-me", UNCONDITIONAL,
            "away", UNCONDITIONAL, "out-of-service", UNAVAILABLE);

    private final int q931;
    private final String token;
    private final int cause;

    RedirectionReason(int q931, String token, int cause) {
        this.q931 = q931;
        this.token = token;
        this.cause = cause;
    }

    /** The Q.931 redirecting reason code as libpri takes it. */
    public int q931() {
        return q931;
    }

    /** The RFC 5806 {@code reason} token. */
    public String diversionToken() {
        return token;
    }

    /** The RFC 4458 {@code cause} URI parameter of History-Info. */
    public int historyInfoCause() {
        return cause;
    }

    public static RedirectionReason fromQ931(int code) {
        if (code == Q931_FORWARDED_BY_DTE || code == Q931_ITU_DEFLECTION) {
            return DEFLECTION;
        }
        for (RedirectionReason r : values()) {
            if (r.q931 == code) {
                return r;
            }
        }
        return UNKNOWN;
    }

    /** An RFC 5806 reason (token or quoted string, any case). */
    public static RedirectionReason fromDiversionToken(String token) {
        if (token == null) {
            return UNKNOWN;
        }
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        for (RedirectionReason r : values()) {
            if (r.token.equals(t)) {
                return r;
            }
        }
        return EXTRA_TOKENS.getOrDefault(t, UNKNOWN);
    }

    /** An RFC 4458 cause value (the SIP status of the diversion condition). */
    public static RedirectionReason fromHistoryInfoCause(int cause) {
        if (cause == 487) {
            return DEFLECTION; // deflection during alerting
        }
        for (RedirectionReason r : values()) {
            if (r.cause == cause) {
                return r;
            }
        }
        return UNKNOWN;
    }

    /**
     * The status of a SIP response that made a proxy retarget (an RFC 3326 Reason in a
     * History-Info entry, RFC 7044 section 9.4): busy, no answer, not reachable, moved.
     */
    public static RedirectionReason fromResponseStatus(int status) {
        if (status == 486 || status == 600) {
            return USER_BUSY;
        }
        if (status == 408 || status == 487) {
            return NO_ANSWER;
        }
        if (status == 480 || status == 503) {
            return UNAVAILABLE;
        }
        if (status >= 300 && status < 400) {
            return UNCONDITIONAL;
        }
        return UNKNOWN;
    }

    /** RFC 5806 reason of a diversion we make on a 3xx: 301/302 are unconditional, others unknown. */
    public static RedirectionReason forRedirectStatus(int status) {
        return status == 301 || status == 302 ? UNCONDITIONAL : UNKNOWN;
    }
}
