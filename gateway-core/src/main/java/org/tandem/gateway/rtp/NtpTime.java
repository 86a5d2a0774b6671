package org.tandem.gateway.rtp;

/**
 * NTP timestamps for RTCP (RFC 3550 section 4): 64-bit fixed point seconds since 1900-01-01,
 * and the "middle 32 bits" form (16.16 seconds) used by LSR, DLSR and round-trip time.
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long UNIX_EPOCH_OFFSET_S = 2_208_988_800L;

    private NtpTime() {
    }

    /** 64-bit NTP timestamp of a wall-clock time in Unix epoch nanoseconds. */
    public static long fromEpochNanos(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        long fraction = (nanos << 32) / 1_000_000_000L;
        return ((seconds + UNIX_EPOCH_OFFSET_S) << 32) | fraction;
    }

    /** Middle 32 bits of a 64-bit NTP timestamp (16.16 fixed-point seconds). */
    public static int middle32(long ntp) {
        return (int) (ntp >>> 16);
    }

    /** Converts a 16.16 fixed-point interval to nanoseconds. */
    public static long shortToNanos(long units65536) {
        return units65536 * 1_000_000_000L >> 16;
    }

    /** Converts nanoseconds to 16.16 fixed-point units. */
    public static long nanosToShort(long nanos) {
        return (nanos << 16) / 1_000_000_000L;
    }

    /**
     * Round-trip time from a report block (RFC 3550 section 6.4.1, figure 2):
     * RTT = A - LSR - DLSR where A is the arrival time of the report in middle-32 NTP form.
     * Returns -1 when the block carries no LSR (the peer has not received an SR yet) or the result
     * is negative (clock trouble).
     */
    public static long roundTripNanos(int arrivalMiddle32, int lsr, int dlsr) {
        if (lsr == 0) {
            return -1;
        }
        long rtt = (arrivalMiddle32 - lsr - dlsr) & 0xFFFFFFFFL;
        if (rtt > 0x7FFFFFFFL) {
            return -1;
        }
        return shortToNanos(rtt);
    }
}
