package org.tandem.gateway.rtp;

import java.util.SplittableRandom;

/**
 * RTCP transmission interval for a two-party session (RFC 3550 section 6.3.1 and A.7): the 5 s
 * minimum (the bandwidth term is smaller for one G.711 stream), randomised over [0.5, 1.5] so
 * reports of many calls do not synchronise, divided by e - 3/2 to compensate the timer
 * reconsideration bias. The first report uses half the minimum (section 6.2).
 */
public final class RtcpInterval {
    public static final long MIN_INTERVAL_NS = 5_000_000_000L;
    private static final double COMPENSATION = Math.E - 1.5;

    private final SplittableRandom random;

    public RtcpInterval(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public long nextNs(boolean initial) {
        double t = (initial ? MIN_INTERVAL_NS / 2.0 : MIN_INTERVAL_NS) * (random.nextDouble() + 0.5);
        return (long) (t / COMPENSATION);
    }
}
