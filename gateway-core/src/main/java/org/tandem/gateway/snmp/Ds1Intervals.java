package org.tandem.gateway.snmp;

import java.util.HashMap;
import java.util.Map;
import org.tandem.gateway.ops.Ds1ErrorCounters;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.ops.SpanView;

/**
 * DS1-MIB's current 15-minute interval (RFC 4805 section 3.3) over DAHDI's cumulative counters:
 * remembers each span's counters at the start of the current interval, so dsx1CurrentTable shows
 * the growth since. Intervals are counted from agent start; {@link #roll} is called by the agent
 * at each boundary. Thread-safe (the agent's timer writes, request threads read).
 */
public final class Ds1Intervals {
    public static final long INTERVAL_MILLIS = 15 * 60 * 1000L;

    private final Map<Integer, Ds1ErrorCounters> baseline = new HashMap<>();

    /** Starts a new interval: the current counters become the baseline. */
    public synchronized void roll(GatewaySnapshot snapshot) {
        baseline.clear();
        for (SpanView s : snapshot.spans()) {
            baseline.put(s.number(), s.errors());
        }
    }

    /** Counts in the current interval; a counter that went backwards (driver reset) counts from 0. */
    public synchronized Ds1ErrorCounters current(SpanView span) {
        Ds1ErrorCounters base = baseline.getOrDefault(span.number(), Ds1ErrorCounters.NONE);
        Ds1ErrorCounters now = span.errors();
        return new Ds1ErrorCounters(delta(now.bipolarViolations(), base.bipolarViolations()),
                delta(now.crc4Errors(), base.crc4Errors()),
                delta(now.framingErrors(), base.framingErrors()),
                delta(now.erroredSeconds(), base.erroredSeconds()));
    }

    private static long delta(long now, long base) {
        return now >= base ? now - base : now;
    }
}
