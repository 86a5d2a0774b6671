package org.tandem.gateway.rtp;

/**
 * Receive-side statistics of one source: sequence tracking with probation (RFC 3550 A.1), the
 * values of a reception report block (A.3) and interarrival jitter (A.8, section 6.4.1).
 *
 * <p>Arrival times are given by the caller in RTP timestamp units (sampling clock of the payload),
 * so the class owns no clock and can be driven by a test.
 */
public final class RtpReceiveStatistics {
    /** RFC 3550 A.1 constants. */
    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;
    static final int MIN_SEQUENTIAL = 2;
    private static final int RTP_SEQ_MOD = 1 << 16;

    /** {@link #update} results. */
    public static final int ACCEPTED = 0;
    /** Still in probation; the packet counts but the source is not yet valid. */
    public static final int PROBATION = 1;
    /** Duplicate or old reordered packet: counted but not a new highest sequence number. */
    public static final int OLD_OR_DUPLICATE = 2;
    /** A very large jump: dropped, unless the next packet confirms it (the source restarted). */
    public static final int BAD_SEQUENCE = -1;

    private int maxSeq;
    private int cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long transit;
    private boolean haveTransit;
    private long jitterQ4;
    private boolean initialised;

    /** Forgets the source; the next packet starts a new one. */
    public void reset() {
        initialised = false;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        haveTransit = false;
        jitterQ4 = 0;
        cycles = 0;
        probation = 0;
    }

    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /**
     * Feeds one packet's sequence number (A.1 update_seq) and, for packets that count, its
     * timestamp and arrival (both in RTP units) for the jitter estimate.
     */
    public int update(int seq, int rtpTimestamp, long arrivalRtpUnits) {
        if (!initialised) {
            initSequence(seq);
            maxSeq = seq - 1 & 0xFFFF;
            probation = MIN_SEQUENTIAL;
            initialised = true;
        }
        int udelta = (seq - maxSeq) & 0xFFFF;
        int result;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    received++;
                    updateJitter(rtpTimestamp, arrivalRtpUnits);
                    return ACCEPTED;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return PROBATION;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += RTP_SEQ_MOD;
            }
            maxSeq = seq;
            result = ACCEPTED;
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two sequential packets after a big jump: the source restarted without telling us.
                initSequence(seq);
                haveTransit = false;
                result = ACCEPTED;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return BAD_SEQUENCE;
            }
        } else {
            result = OLD_OR_DUPLICATE;
        }
        received++;
        if (result == ACCEPTED) {
            updateJitter(rtpTimestamp, arrivalRtpUnits);
        }
        return result;
    }

    /** RFC 3550 A.8: J += (|D| - J) / 16, kept scaled by 16 to stay in integers. */
    private void updateJitter(int rtpTimestamp, long arrivalRtpUnits) {
        long t = arrivalRtpUnits - (rtpTimestamp & 0xFFFFFFFFL);
        if (haveTransit) {
            long d = t - transit;
            // Transit differences across a timestamp wrap: fold into the signed 32-bit range.
            d = (int) d;
            if (d < 0) {
                d = -d;
            }
            jitterQ4 += d - ((jitterQ4 + 8) >> 4);
        }
        transit = t;
        haveTransit = true;
    }

    public boolean valid() {
        return initialised && probation == 0;
    }

    /** Extended highest sequence number received (cycles in the upper 16 bits). */
    public long extendedHighestSequence() {
        return (cycles & 0xFFFFFFFFL) + maxSeq;
    }

    public long expected() {
        return valid() ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    public long received() {
        return received;
    }

    /** Cumulative number lost (A.3); negative when duplicates outnumber losses. */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Cumulative lost clamped to the report block's signed 24-bit field. */
    public int cumulativeLost24() {
        long lost = cumulativeLost();
        return (int) Math.max(-0x800000L, Math.min(0x7FFFFFL, lost));
    }

    /**
     * Fraction lost since the previous call, as the 8-bit fixed point of a report block (A.3);
     * advances the interval, so call it once per report.
     */
    public int nextFractionLost() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) ((lostInterval << 8) / expectedInterval);
    }

    /** Interarrival jitter in RTP timestamp units, as sent in a report block. */
    public long jitter() {
        return jitterQ4 >> 4;
    }
}
