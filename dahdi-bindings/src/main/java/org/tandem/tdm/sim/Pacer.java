package org.tandem.tdm.sim;

/**
 * Deadline arithmetic of the card clock. Period {@code n} is due at exactly
 * {@code startNs + n * periodNs}: deadlines are computed from the start, never by adding a
 * period to "now", so wake-up latency does not accumulate into drift. A late wake-up is made
 * good by ticking every period that fell due (as a card keeps clocking while the host is busy);
 * after {@code maxCatchUp} periods behind, the rest are skipped and counted as slips.
 *
 * <p>Pure arithmetic, one owning thread; tested with a clock the test advances.
 */
public final class Pacer {
    private final long startNs;
    private final long periodNs;
    private long next = 1;
    private long slips;

    public Pacer(long startNs, long periodNs) {
        if (periodNs <= 0) {
            throw new IllegalArgumentException("period must be > 0 ns: " + periodNs);
        }
        this.startNs = startNs;
        this.periodNs = periodNs;
    }

    /** Absolute time at which period {@code n} (1-based) is due. */
    public long deadlineNs(long n) {
        return startNs + n * periodNs;
    }

    /** When the next period falls due. */
    public long nextDeadlineNs() {
        return deadlineNs(next);
    }

    /**
     * Periods due at {@code nowNs} that the caller must now tick (0 if none), advancing past
     * them. At most {@code maxCatchUp}; older ones are skipped and counted in {@link #slips()}.
     */
    public int due(long nowNs, int maxCatchUp) {
        long elapsed = nowNs - startNs;
        if (elapsed < next * periodNs) {
            return 0;
        }
        long reached = elapsed / periodNs;
        long count = reached - next + 1;
        if (count > maxCatchUp) {
            slips += count - maxCatchUp;
            count = maxCatchUp;
        }
        next = reached + 1;
        return (int) count;
    }

    /** Periods that have fallen due so far (ticked or skipped). */
    public long periodsElapsed() {
        return next - 1;
    }

    public long slips() {
        return slips;
    }

    public long periodNs() {
        return periodNs;
    }
}
