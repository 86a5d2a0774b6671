package org.tandem.pri;

/**
 * Decodes libpri's encoded channel field of events:
 * <pre>
 *  bit 18   17   16        15..8      7..0
 *     held  cis  explicit  span       timeslot
 * </pre>
 * -1 means "any channel"; a timeslot of 0xFF too. E1 timeslots are 1..15 and 17..31 (the
 * D-channel is 16), T1 1..23.
 */
public final class ChannelId {
    /** "No particular channel" in decoded form. */
    public static final int ANY = -1;

    private ChannelId() {
    }

    /** Timeslot (chanpos), or {@link #ANY}. */
    public static int timeslot(int encoded) {
        if (encoded == -1) {
            return ANY;
        }
        int ts = encoded & 0xFF;
        return ts == 0xFF || ts == 0 ? ANY : ts;
    }

    /** Logical span number carried in the field (NFAS), 0 when not used. */
    public static int span(int encoded) {
        return encoded == -1 ? 0 : (encoded >> 8) & 0xFF;
    }

    public static boolean isExplicit(int encoded) {
        return encoded != -1 && (encoded & (1 << 16)) != 0;
    }

    /** Call-independent signalling connection (no B-channel). */
    public static boolean isCallIndependent(int encoded) {
        return encoded != -1 && (encoded & (1 << 17)) != 0;
    }
}
