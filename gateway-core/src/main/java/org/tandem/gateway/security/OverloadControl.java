package org.tandem.gateway.security;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Overload control of new INVITEs (RFC 5390's requirements, RFC 7339's "loss" algorithm): a
 * share of new INVITEs, {@link #reductionPercent()}, is refused with 503 and Retry-After before
 * any transaction state, call or media exists, so that the calls admitted are served on time.
 *
 * <p>The share follows the load the {@link LoadMonitor} measures every 100 ms: the load factor
 * is the largest of measure / threshold over the measures configured (call control's queue
 * latency and depth, process CPU, B-channels busy). Shedding begins once the factor has been 1 or
 * more in {@link #ONSET_SAMPLES} samples in a row (300 ms: one GC pause is no overload; the CPU
 * counts only once past its threshold for {@link #CPU_ONSET_SAMPLES}, 2 s); then, at
 * 1 or more, the share rises by 10 points, or
 * by half the excess when that is more (a queue twice its threshold adds 50); below
 * {@code leave_percent} of every threshold it falls by 10 points a sample (100 to 0 in one second
 * of calm); in between it holds (hysteresis: shedding itself lowers the load, and must not stop
 * the moment it works). The INVITEs refused are spread evenly (a share of 30 refuses 3 in every
 * 10, not 30 in a row).
 *
 * <p>Never refused here: OPTIONS, requests within a dialog, retransmissions, CANCEL, ACK; the
 * caller checks that the INVITE starts a new call. Thread-safe: the SIP workers call
 * {@link #admitNewCall}; the monitor thread calls {@link #evaluate}.
 */
public final class OverloadControl implements org.tandem.gateway.ops.InviteAdmission {
    /** Points the share rises or falls per sample at least. */
    static final int STEP = 10;
    /**
     * Samples in a row at or past a threshold before shedding begins: a single GC pause or JIT
     * burst (one probe late by 300 ms) is no overload; a call control stuck for 300 ms is.
     */
    static final int ONSET_SAMPLES = 3;
    /**
     * Samples in a row with the CPU past its threshold before it counts at all (2 s): the JIT at
     * start-up and a GC cycle saturate the cores for a while without any call being late; a
     * saturation that lasts is an overload. The latency measure sees the harm itself sooner.
     */
    static final int CPU_ONSET_SAMPLES = 20;
    /** RFC 7339 oc-validity we send: the feedback holds for five samples, then the peer reverts. */
    public static final int VALIDITY_MS = 500;

    /**
     * Thresholds of the measures (0: not measured) and the hysteresis.
     *
     * @param leavePercent the share falls only once every measure is below this % of its threshold
     */
    public record Thresholds(int queueLatencyMs, int queueDepth, int cpuPercent, int channelsBusyPercent,
            int leavePercent) {
    }

    /** One measurement of the load. */
    public record Sample(long queueLatencyMs, int queueDepth, int cpuPercent, int channelsBusyPercent) {
    }

    private final Thresholds thresholds;
    private final int retryAfterS;
    private volatile int reduction;
    private volatile String reason = "";
    /** RFC 7339 oc-seq: milliseconds since the epoch when the share last changed. */
    private volatile long sequenceMillis;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private long periods;
    private int over;
    private int cpuOver;

    public OverloadControl(Thresholds thresholds, int retryAfterS) {
        this.thresholds = thresholds;
        this.retryAfterS = retryAfterS;
        this.sequenceMillis = System.currentTimeMillis();
    }

    /**
     * Takes one sample; returns true when the share changed from or to 0 (overload began or
     * ended: the model and SNMP are told).
     */
    public synchronized boolean evaluate(Sample s) {
        double factor = 0;
        String why = "";
        if (thresholds.queueLatencyMs() > 0) {
            double f = (double) s.queueLatencyMs() / thresholds.queueLatencyMs();
            if (f > factor) {
                factor = f;
                why = "call-control queue latency " + s.queueLatencyMs() + " ms (threshold "
                        + thresholds.queueLatencyMs() + " ms)";
            }
        }
        if (thresholds.queueDepth() > 0) {
            double f = (double) s.queueDepth() / thresholds.queueDepth();
            if (f > factor) {
                factor = f;
                why = "call-control queue depth " + s.queueDepth() + " (threshold " + thresholds.queueDepth() + ")";
            }
        }
        if (thresholds.cpuPercent() > 0) {
            double f = (double) s.cpuPercent() / thresholds.cpuPercent();
            cpuOver = f >= 1 ? cpuOver + 1 : 0;
            if (f >= 1 && cpuOver < CPU_ONSET_SAMPLES) {
                f = Math.min(f, 0.99); // past it, not for long enough yet: holds, neither rises nor falls
            }
            if (f > factor) {
                factor = f;
                why = "process CPU " + s.cpuPercent() + "% (threshold " + thresholds.cpuPercent() + "%)";
            }
        }
        if (thresholds.channelsBusyPercent() > 0) {
            double f = (double) s.channelsBusyPercent() / thresholds.channelsBusyPercent();
            if (f > factor) {
                factor = f;
                why = "B-channels busy " + s.channelsBusyPercent() + "% (threshold "
                        + thresholds.channelsBusyPercent() + "%)";
            }
        }
        int before = reduction;
        int after = before;
        over = factor >= 1 ? over + 1 : 0;
        if (factor >= 1 && (before > 0 || over >= ONSET_SAMPLES)) {
            after = Math.min(100, before + Math.max(STEP, (int) Math.round((factor - 1) * 50)));
            reason = why;
        } else if (factor >= 1) {
            // not yet: a burst is not an overload
        } else if (factor * 100 < thresholds.leavePercent()) {
            after = Math.max(0, before - STEP);
        }
        periods++;
        if (after != before) {
            reduction = after;
            sequenceMillis = Math.max(sequenceMillis + 1, System.currentTimeMillis());
            if (after == 0) {
                reason = "";
            }
        }
        return (before == 0) != (after == 0);
    }

    /**
     * Whether to admit a new call (an initial INVITE); false means answer it 503 with
     * {@link #retryAfterS()} and count it.
     */
    public boolean admitNewCall() {
        int r = reduction;
        if (r == 0) {
            return true;
        }
        long n = offered.getAndIncrement();
        // refuse when the running count of refusals due, n * r / 100, steps up: r in every 100, evenly
        boolean refuse = r >= 100 || (n + 1) * r / 100 > n * r / 100;
        if (refuse) {
            rejected.incrementAndGet();
        }
        return !refuse;
    }

    /** The share of new INVITEs refused now, 0-100 (RFC 7339 oc). */
    @Override
    public int reductionPercent() {
        return reduction;
    }

    /** Why the share is above 0 (the measure that last pushed it), or "". */
    public String reason() {
        return reason;
    }

    /** RFC 7339 oc-seq: when the share last changed, in milliseconds since the epoch. */
    public long sequenceMillis() {
        return sequenceMillis;
    }

    /** New INVITEs refused since start. */
    @Override
    public long rejected() {
        return rejected.get();
    }

    public int retryAfterS() {
        return retryAfterS;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /** Samples taken since start (tests wait on it). */
    public synchronized long samples() {
        return periods;
    }
}
