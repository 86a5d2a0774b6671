package org.tandem.gateway.ops;

import java.util.concurrent.atomic.LongAdder;

/**
 * Call and RTP counters since start-up. Every method may be called from any thread without
 * locking ({@link LongAdder}); readers see each counter's value at the time of reading, not a
 * consistent cut across counters (what SNMP Counter semantics allow).
 *
 * <p>Call control reports each call attempt twice: {@link #attempt} when it begins and
 * {@link #completed} when it ends (exactly once per attempt, whatever the outcome).
 *
 * <p>Ratios follow ITU-T E.411/E.425: ASR (answer seizure ratio) = answered / completed attempts;
 * NER (network effectiveness ratio) = attempts that were answered or ended for a reason that is
 * the called user's (Q.850 causes 17 user busy, 18 no user responding, 19 no answer, 21 call
 * rejected) / completed attempts. Attempts still in progress count in neither.
 */
public final class CallCounters {
    /** Q.850 cause values are 7 bits (Q.850 section 2.2.5). */
    public static final int CAUSES = 128;

    private static final int[] USER_CAUSES = {17, 18, 19, 21};

    private final LongAdder[] attempted = adders(CallDirection.values().length);
    private final LongAdder[] answered = adders(CallDirection.values().length);
    private final LongAdder[] failed = adders(CallDirection.values().length);
    private final LongAdder[] endedByCause = adders(CAUSES);
    private final LongAdder[] failedByCause = adders(CAUSES);
    private final LongAdder userEnded = new LongAdder();
    private final LongAdder rtpPacketsSent = new LongAdder();
    private final LongAdder rtpPacketsReceived = new LongAdder();
    private final LongAdder rtpPacketsLost = new LongAdder();
    private final LongAdder rejectedOverload = new LongAdder();
    private final LongAdder rejectedNoChannel = new LongAdder();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** A call attempt began (SETUP or INVITE accepted for processing). */
    public void attempt(CallDirection direction) {
        attempted[direction.ordinal()].increment();
    }

    /**
     * A call attempt ended.
     *
     * @param answered it was answered (CONNECT / 200 OK) at some point
     * @param q850Cause the release cause (0 when none was signalled; out-of-range values count
     *        under 127, "interworking, unspecified")
     */
    public void completed(CallDirection direction, boolean answered, int q850Cause) {
        int cause = q850Cause >= 0 && q850Cause < CAUSES ? q850Cause : 127;
        endedByCause[cause].increment();
        if (answered) {
            this.answered[direction.ordinal()].increment();
            userEnded.increment();
            return;
        }
        failed[direction.ordinal()].increment();
        failedByCause[cause].increment();
        if (isEffective(false, cause)) {
            userEnded.increment();
        }
    }

    /**
     * Whether an ended attempt counts for NER: answered, or ended for a reason of the called user
     * (Q.850 17, 18, 19, 21), so the network did what it had to (ITU-T E.425).
     */
    public static boolean isEffective(boolean answered, int q850Cause) {
        if (answered) {
            return true;
        }
        for (int c : USER_CAUSES) {
            if (c == q850Cause) {
                return true;
            }
        }
        return false;
    }

    /** RTP totals of one finished call (or a periodic delta from a media agent). */
    public void rtp(long packetsSent, long packetsReceived, long packetsLost) {
        rtpPacketsSent.add(packetsSent);
        rtpPacketsReceived.add(packetsReceived);
        rtpPacketsLost.add(Math.max(0, packetsLost));
    }

    /** A call was refused by admission control because the gateway is overloaded. */
    public void rejectForOverload() {
        rejectedOverload.increment();
    }

    /** A call was refused because no B-channel was free in the routed group (cause 34). */
    public void rejectNoChannel() {
        rejectedNoChannel.increment();
    }

    public long attempted(CallDirection d) {
        return attempted[d.ordinal()].sum();
    }

    public long answered(CallDirection d) {
        return answered[d.ordinal()].sum();
    }

    public long failed(CallDirection d) {
        return failed[d.ordinal()].sum();
    }

    /** Attempts (answered or not) that ended with this Q.850 cause. */
    public long endedByCause(int cause) {
        return endedByCause[cause].sum();
    }

    /** Unanswered attempts that ended with this Q.850 cause. */
    public long failedByCause(int cause) {
        return failedByCause[cause].sum();
    }

    public long rtpPacketsSent() {
        return rtpPacketsSent.sum();
    }

    public long rtpPacketsReceived() {
        return rtpPacketsReceived.sum();
    }

    public long rtpPacketsLost() {
        return rtpPacketsLost.sum();
    }

    public long rejectedOverload() {
        return rejectedOverload.sum();
    }

    public long rejectedNoChannel() {
        return rejectedNoChannel.sum();
    }

    private long completedTotal() {
        long n = 0;
        for (CallDirection d : CallDirection.values()) {
            n += answered(d) + failed(d);
        }
        return n;
    }

    /** Answer seizure ratio in hundredths of a percent (0..10000); 0 before any attempt ended. */
    public int asrBasisPoints() {
        long total = completedTotal();
        long ans = 0;
        for (CallDirection d : CallDirection.values()) {
            ans += answered(d);
        }
        return total == 0 ? 0 : (int) Math.min(10_000, ans * 10_000 / total);
    }

    /** Network effectiveness ratio in hundredths of a percent (0..10000); 0 before any ended. */
    public int nerBasisPoints() {
        long total = completedTotal();
        return total == 0 ? 0 : (int) Math.min(10_000, userEnded.sum() * 10_000 / total);
    }
}
