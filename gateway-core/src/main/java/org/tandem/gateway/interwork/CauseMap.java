package org.tandem.gateway.interwork;

import java.util.Arrays;
import java.util.Map;

/**
 * Q.850 cause <-> SIP final status, as two lookup tables: the RFC 3398 defaults with per-trunk or
 * per-group overrides layered on top ({@link #withOverrides}). Immutable; share freely.
 *
 * <p>Values a table does not list fall back as follows (Tandem's choice, the RFC is silent):
 * an unlisted Q.850 cause is first replaced by the unspecified cause of its class (Q.850 2.2.5)
 * and looked up again, then 500; an unlisted SIP status maps to 127 "Interworking, unspecified"
 * (for 3xx..6xx) the way RFC 3398 maps the extension-related statuses it does list.
 */
public final class CauseMap {
    /** Marker in the tables for "no entry". */
    private static final int NONE = 0;

    /**
     * RFC 3398 section 8.2.6.1, "ISUP Cause value -> SIP response". Cause 16 (normal clearing) has no
     * status: it clears an established call with BYE; when a call is refused with 16 we answer 480.
     */
    private static final int[][] RFC3398_Q850_TO_SIP = {
        {1, 404}, {2, 404}, {3, 404},
        {17, 486}, {18, 408}, {19, 480}, {20, 480}, {21, 403},
        {22, 410}, {23, 410}, {26, 404}, {27, 502}, {28, 484}, {29, 501}, {31, 480},
        {34, 503}, {38, 503}, {41, 503}, {42, 503}, {47, 503},
        {55, 403}, {57, 403}, {58, 503}, {65, 488}, {70, 488}, {79, 501},
        {87, 403}, {88, 503}, {102, 504}, {111, 500}, {127, 500},
    };

    /**
     * RFC 3398 section 7.2.4.1, "SIP response -> ISUP cause". 487 has no mapping in the RFC (the
     * caller cancelled; call control clears with 16 / the CANCEL's Reason). 488 and 606 are
     * "by Warning header" in the RFC; Tandem maps them to 65 (bearer capability not implemented),
     * the inverse of the 65 -> 488 entry above, since the only 488 a gateway provokes is a media
     * mismatch.
     */
    private static final int[][] RFC3398_SIP_TO_Q850 = {
        {400, 41}, {401, 21}, {402, 21}, {403, 21}, {404, 1}, {405, 63}, {406, 79}, {407, 21},
        {408, 102}, {410, 22}, {413, 127}, {414, 127}, {415, 79}, {416, 127}, {420, 127},
        {421, 127}, {423, 127}, {480, 18}, {481, 41}, {482, 25}, {483, 25}, {484, 28}, {485, 1},
        {486, 17}, {487, 16}, {488, 65}, {500, 41}, {501, 79}, {502, 38}, {503, 41}, {504, 102},
        {505, 127}, {513, 127}, {600, 17}, {603, 21}, {604, 1}, {606, 65},
    };

    private static final CauseMap RFC3398 = new CauseMap(table(RFC3398_Q850_TO_SIP, 128),
            table(RFC3398_SIP_TO_Q850, 700));

    private final int[] q850ToSip;   // index: cause 0..127
    private final int[] sipToQ850;   // index: status 0..699

    private CauseMap(int[] q850ToSip, int[] sipToQ850) {
        this.q850ToSip = q850ToSip;
        this.sipToQ850 = sipToQ850;
    }

    /** The RFC 3398 default tables. */
    public static CauseMap rfc3398() {
        return RFC3398;
    }

    /**
     * A new map with these entries replacing (or adding to) this map's. Keys and values are
     * validated: causes 0..127, statuses 300..699 (a cause cannot be mapped to a 1xx or 2xx).
     */
    public CauseMap withOverrides(Map<Integer, Integer> q850ToSipOverrides,
            Map<Integer, Integer> sipToQ850Overrides) {
        int[] q = Arrays.copyOf(q850ToSip, q850ToSip.length);
        int[] s = Arrays.copyOf(sipToQ850, sipToQ850.length);
        q850ToSipOverrides.forEach((cause, status) -> {
            Q850Cause.requireValid(cause);
            q[cause] = requireFinalFailure(status, "override for Q.850 cause " + cause);
        });
        sipToQ850Overrides.forEach((status, cause) -> {
            requireFinalFailure(status, "override key");
            s[status] = Q850Cause.requireValid(cause);
        });
        return new CauseMap(q, s);
    }

    /** The SIP status to refuse or clear an unanswered call with, for this Q.850 cause. */
    public int toSipStatus(int cause) {
        Q850Cause.requireValid(cause);
        int status = q850ToSip[cause];
        if (status != NONE) {
            return status;
        }
        if (cause == Q850Cause.NORMAL_CLEARING) {
            return 480;
        }
        int fallback = q850ToSip[Q850Cause.unspecifiedOfClass(cause)];
        return fallback != NONE ? fallback : 500;
    }

    /** The Q.850 cause to clear the PSTN leg with, for this SIP final response status. */
    public int toQ850(int sipStatus) {
        if (sipStatus < 100 || sipStatus > 699) {
            throw new IllegalArgumentException("SIP status " + sipStatus + " is outside 100..699");
        }
        int cause = sipToQ850[sipStatus];
        if (cause != NONE) {
            return cause;
        }
        return sipStatus < 300 ? Q850Cause.NORMAL_CLEARING : Q850Cause.INTERWORKING;
    }

    private static int requireFinalFailure(int status, String what) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException(what + ": SIP status " + status
                    + " is not a final failure status (300..699)");
        }
        return status;
    }

    private static int[] table(int[][] rows, int size) {
        int[] t = new int[size];
        for (int[] row : rows) {
            t[row[0]] = row[1];
        }
        return t;
    }
}
