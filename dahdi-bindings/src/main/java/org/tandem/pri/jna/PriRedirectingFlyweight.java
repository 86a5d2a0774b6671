package org.tandem.pri.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * Reads and writes libpri's {@code struct pri_party_redirecting} in place (x86_64, libpri 1.6.0;
 * every offset is checked by the ABI test), and finds it among a ring event's subcommands.
 *
 * <pre>
 *  pri_party_redirecting (612 B)         pri_party_id (200 B)      pri_party_number (76 B)
 *    0 from        (pri_party_id)          0 name (76 B)             0 valid
 *  200 to          (pri_party_id)         76 number                  4 presentation
 *  400 orig_called (pri_party_id)        152 subaddress              8 plan (TON << 4 | NPI)
 *  600 count  604 orig_reason  608 reason                           12 str[64]
 *
 *  pri_event_ring.subcmds (2656) -> pri_subcommands: 0 counter_subcmd, 8 subcmd[8] of 832 B each:
 *    0 cmd, 8 u (PRI_SUBCMD_REDIRECTING: u is a pri_party_redirecting)
 * </pre>
 *
 * In a SETUP (RING) libpri reports the redirecting party as a {@code PRI_SUBCMD_REDIRECTING}
 * subcommand, the one place with its presentation and count; the ring event's own
 * {@code redirectingnum}/{@code callingplanrdnis}/{@code redirectingreason} have no presentation.
 */
public final class PriRedirectingFlyweight {
    public static final int SIZE = 612;
    public static final int FROM = 0;
    public static final int TO = 200;
    public static final int ORIG_CALLED = 400;
    public static final int COUNT = 600;
    public static final int ORIG_REASON = 604;
    public static final int REASON = 608;

    public static final int PARTY_ID_NUMBER = 76;
    public static final int NUMBER_VALID = 0;
    public static final int NUMBER_PRESENTATION = 4;
    public static final int NUMBER_PLAN = 8;
    public static final int NUMBER_STR = 12;
    public static final int NUMBER_STR_LEN = 64;

    public static final int RING_SUBCMDS = 2656;
    public static final int RING_REDIRECTINGNUM = 1052;
    public static final int RING_REDIRECTINGREASON = 1564;
    public static final int RING_CALLINGPLANRDNIS = 1568;
    public static final int SUBCMDS_COUNTER = 0;
    public static final int SUBCMDS_SUBCMD = 8;
    public static final int SUBCMD_SIZE = 832;
    public static final int SUBCMD_U = 8;
    public static final int PRI_SUBCMD_REDIRECTING = 1;
    public static final int PRI_MAX_SUBCOMMANDS = 8;

    private PriRedirectingFlyweight() {
    }

    /**
     * The {@code pri_party_redirecting} of the first {@code PRI_SUBCMD_REDIRECTING} subcommand of a
     * ring event, or null when there is none.
     */
    public static Pointer findInRing(Pointer ring) {
        Pointer subcmds = ring.getPointer(RING_SUBCMDS);
        if (subcmds == null) {
            return null;
        }
        int n = Math.min(subcmds.getInt(SUBCMDS_COUNTER), PRI_MAX_SUBCOMMANDS);
        for (int i = 0; i < n; i++) {
            long sub = SUBCMDS_SUBCMD + (long) i * SUBCMD_SIZE;
            if (subcmds.getInt(sub) == PRI_SUBCMD_REDIRECTING) {
                return subcmds.share(sub + SUBCMD_U);
            }
        }
        return null;
    }

    /** {@code number.valid} of the party id at {@code party} (FROM, TO, ORIG_CALLED). */
    public static boolean valid(Pointer r, int party) {
        return r.getInt(party + PARTY_ID_NUMBER + NUMBER_VALID) != 0;
    }

    public static int presentation(Pointer r, int party) {
        return r.getInt(party + PARTY_ID_NUMBER + NUMBER_PRESENTATION);
    }

    public static int plan(Pointer r, int party) {
        return r.getInt(party + PARTY_ID_NUMBER + NUMBER_PLAN);
    }

    public static String digits(Pointer r, int party) {
        byte[] b = r.getByteArray(party + PARTY_ID_NUMBER + NUMBER_STR, NUMBER_STR_LEN);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** A zeroed struct for {@code pri_sr_set_redirecting_parties}; fill it with {@link #setNumber}. */
    public static Memory allocate() {
        Memory m = new Memory(SIZE);
        m.clear();
        return m;
    }

    /** Sets a party's number (valid, presentation, plan, digits cut to 63 bytes + NUL). */
    public static void setNumber(Pointer r, int party, String digits, int plan, int presentation) {
        int base = party + PARTY_ID_NUMBER;
        byte[] b = digits.getBytes(StandardCharsets.ISO_8859_1);
        int len = Math.min(b.length, NUMBER_STR_LEN - 1);
        r.setInt(base + NUMBER_VALID, 1);
        r.setInt(base + NUMBER_PRESENTATION, presentation);
        r.setInt(base + NUMBER_PLAN, plan);
        r.write(base + NUMBER_STR, b, 0, len);
        r.setByte(base + NUMBER_STR + len, (byte) 0);
    }
}
