package org.tandem.pri;

/**
 * The redirecting party of a diverted call, as Q.931 (4.5.21, the Redirecting number information
 * element) and libpri's {@code struct pri_party_redirecting} carry it: who diverted the call
 * ({@code from}, with its own presentation), the originally called party when the call was
 * diverted more than once ({@code originalCalled}, may be null), the reason of the last diversion
 * ({@code REASON_*}, libpri's {@code PRI_REDIR_*} values) and how many diversions there were.
 *
 * <p>On the wire: the Redirecting number IE has the number, its type/plan, presentation/screening
 * and the reason; the count and the original called number travel only in an ETSI
 * DivertingLegInformation2 facility, which libpri sends and reads only when its supplementary
 * services are enabled ({@code pri_facility_enable}). Without it a receiver sees count 1.
 */
public record Redirecting(PartyNumber from, PartyNumber originalCalled, int reason, int count) {
    public static final int REASON_UNKNOWN = 0x0;
    public static final int REASON_BUSY = 0x1;
    public static final int REASON_NO_REPLY = 0x2;
    public static final int REASON_DEFLECTION = 0x3;
    public static final int REASON_DTE_OUT_OF_ORDER = 0x9;
    public static final int REASON_FORWARDED_BY_DTE = 0xA;
    public static final int REASON_UNCONDITIONAL = 0xF;

    /** Q.931's redirecting reason has 4 bits; the count is ETSI's 1..15 (DivertingLegInformation2). */
    public static final int MAX_COUNT = 15;

    public Redirecting {
        if (from == null || from.digits().isEmpty()) {
            throw new IllegalArgumentException("the redirecting number is required");
        }
        if (reason < 0 || reason > 0xF) {
            throw new IllegalArgumentException("redirecting reason 0..15 expected, got " + reason);
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("redirection count 1.." + MAX_COUNT + " expected, got " + count);
        }
    }

    /** One diversion by {@code from} for {@code reason}, no original called party. */
    public static Redirecting by(PartyNumber from, int reason) {
        return new Redirecting(from, null, reason, 1);
    }
}
