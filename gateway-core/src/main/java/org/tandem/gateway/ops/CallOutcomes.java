package org.tandem.gateway.ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Outcomes of finished call attempts per trunk, per span, by final SIP status, and the RTP quality
 * of each finished call as histograms: what the Prometheus endpoint and TANDEM-GATEWAY-MIB's
 * per-span columns and status tables show beside the gateway-wide {@link CallCounters}.
 *
 * <p>Written once per call attempt, when it ends ({@link #completed}, on call control's thread,
 * from the CDR emitter); never on a media thread. Readers (scrape, SNMP request threads) read
 * without locking: every figure is an atomic counter, and a map entry, once created, is never
 * removed. As with {@link CallCounters}, a reader sees each counter at the time it reads it, not a
 * consistent cut.
 *
 * <p>Ratios: ASR = answered / completed attempts; NER (ITU-T E.425, GSMA IR.42) = attempts that
 * were answered or ended for a reason of the called user (Q.850 17 user busy, 18 no user
 * responding, 19 no answer, 21 call rejected) / completed attempts: the network did its part.
 * {@link CallCounters#isEffective} holds that set for both.
 */
public final class CallOutcomes {
    /** Final SIP statuses counted: 100..699 (anything else counts under 0: none). */
    private static final int SIP_MIN = 100;
    private static final int SIP_MAX = 699;

    /** Upper bounds of the per-call jitter histogram, seconds (RFC 3550 interarrival jitter). */
    public static final double[] JITTER_BUCKETS_S = {0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25};
    /** Upper bounds of the per-call loss histogram: packets lost / packets expected. */
    public static final double[] LOSS_BUCKETS = {0.0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5};

    /** Counters of one trunk, one span, or the whole gateway. */
    public static final class Group {
        private final LongAdder completed = new LongAdder();
        private final LongAdder answered = new LongAdder();
        private final LongAdder effective = new LongAdder();
        private final AtomicLongArray byCause = new AtomicLongArray(CallCounters.CAUSES);
        private final AtomicLongArray bySipStatus = new AtomicLongArray(SIP_MAX + 1);

        void add(boolean wasAnswered, int cause, int sipStatus) {
            completed.increment();
            if (wasAnswered) {
                answered.increment();
            }
            if (CallCounters.isEffective(wasAnswered, cause)) {
                effective.increment();
            }
            byCause.incrementAndGet(cause);
            bySipStatus.incrementAndGet(sipStatus >= SIP_MIN && sipStatus <= SIP_MAX ? sipStatus : 0);
        }

        /** Attempts that ended. */
        public long completed() {
            return completed.sum();
        }

        public long answered() {
            return answered.sum();
        }

        /** Attempts that count for NER (answered, or ended by the called user). */
        public long effective() {
            return effective.sum();
        }

        /** Attempts that ended with Q.850 cause {@code cause} (0..127; 0: none signalled). */
        public long endedByCause(int cause) {
            return byCause.get(cause);
        }

        /**
         * Attempts whose SIP leg got final status {@code status} (100..699), or, for 0, that had no
         * SIP final response (no SIP leg, or it was cancelled before one).
         */
        public long endedBySipStatus(int status) {
            return status == 0 || (status >= SIP_MIN && status <= SIP_MAX) ? bySipStatus.get(status) : 0;
        }

        /** Answer seizure ratio 0..1; 0 before any attempt ended. */
        public double asr() {
            long c = completed();
            return c == 0 ? 0 : Math.min(1.0, (double) answered() / c);
        }

        /** Network effectiveness ratio 0..1; 0 before any attempt ended. */
        public double ner() {
            long c = completed();
            return c == 0 ? 0 : Math.min(1.0, (double) effective() / c);
        }
    }

    /** A cumulative histogram with fixed upper bounds, lock-free. */
    public static final class Histogram {
        private final double[] bounds;
        /** Non-cumulative: index i counts values in (bounds[i-1], bounds[i]]; the last is +Inf. */
        private final AtomicLongArray buckets;
        private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds.clone();
            this.buckets = new AtomicLongArray(bounds.length + 1);
        }

        void observe(double value) {
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            buckets.incrementAndGet(i);
            sum.add(value);
        }

        /** The upper bounds, without +Inf. */
        public double[] bounds() {
            return bounds.clone();
        }

        /**
         * Cumulative counts: element i is the number of values {@code <= bounds[i]}; the last element
         * (index {@code bounds.length}) is the count of all values (+Inf).
         */
        public long[] cumulative() {
            long[] out = new long[buckets.length()];
            long run = 0;
            for (int i = 0; i < out.length; i++) {
                run += buckets.get(i);
                out[i] = run;
            }
            return out;
        }

        public double sum() {
            return sum.sum();
        }
    }

    private final Group all = new Group();
    private final ConcurrentMap<String, Group> trunks = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Group> spans = new ConcurrentHashMap<>();
    private final Histogram jitter = new Histogram(JITTER_BUCKETS_S);
    private final Histogram loss = new Histogram(LOSS_BUCKETS);

    /**
     * A call attempt ended.
     *
     * @param trunk the {@code [trunk NAME]} of its SIP leg, or null/"" (a phone, no SIP leg)
     * @param span the span of the last B-channel it seized, 0 when it seized none
     * @param answered it was answered at some point
     * @param q850Cause its release cause, 0 if none (out of range: 127)
     * @param sipStatus the final SIP status of its SIP leg, 0 if none
     */
    public void completed(String trunk, int span, boolean answered, int q850Cause, int sipStatus) {
        int cause = q850Cause >= 0 && q850Cause < CallCounters.CAUSES ? q850Cause : 127;
        all.add(answered, cause, sipStatus);
        if (trunk != null && !trunk.isEmpty()) {
            trunks.computeIfAbsent(trunk, t -> new Group()).add(answered, cause, sipStatus);
        }
        if (span > 0) {
            spans.computeIfAbsent(span, s -> new Group()).add(answered, cause, sipStatus);
        }
    }

    /**
     * The RTP figures of a call that had media, at its end.
     *
     * @param packetsReceived valid packets received
     * @param packetsLost RFC 3550 cumulative loss (negative: duplicates; counts as 0)
     * @param jitterSeconds RFC 3550 interarrival jitter at the end of the call
     */
    public void rtp(long packetsReceived, long packetsLost, double jitterSeconds) {
        long lost = Math.max(0, packetsLost);
        long expected = Math.max(0, packetsReceived) + lost;
        if (expected == 0) {
            return;                                         // no media at all: nothing to grade
        }
        loss.observe((double) lost / expected);
        jitter.observe(Math.max(0, jitterSeconds));
    }

    /** Every attempt, whatever its trunk or span. */
    public Group all() {
        return all;
    }

    /** Per trunk name, sorted; a trunk appears once one of its calls ended. */
    public Map<String, Group> trunks() {
        return new TreeMap<>(trunks);
    }

    /** Per span number, sorted; a span appears once a call that seized one of its channels ended. */
    public Map<Integer, Group> spans() {
        return new TreeMap<>(spans);
    }

    /** The span's counters, or null before a call on it ended. */
    public Group span(int span) {
        return spans.get(span);
    }

    /** Interarrival jitter of finished calls, seconds. */
    public Histogram jitter() {
        return jitter;
    }

    /** Loss fraction of finished calls. */
    public Histogram loss() {
        return loss;
    }
}
