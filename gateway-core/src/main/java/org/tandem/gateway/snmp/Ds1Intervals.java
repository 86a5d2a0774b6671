package org.tandem.gateway.snmp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tandem.gateway.ops.Ds1ErrorCounters;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.ops.SpanView;
import org.tandem.tdm.SpanAlarms;

/**
 * DS1-MIB performance history (RFC 4805 sections 3.3 and 3.4): per span the current 15-minute
 * interval, up to 96 completed intervals (24 hours) and their total, built from what the span
 * backends report today: the alarm bits (both backends) and the driver's cumulative error
 * counters ({@link Ds1ErrorCounters}; DAHDI's SPANSTAT, none for the simulated span).
 *
 * <p>The agent calls {@link #tick} once a second. Each second a span spends with an alarm that
 * takes it out of service (RED, BLUE, LOS, LFA, LMFA, or not opened) counts one Unavailable Second
 * (UAS); one with loss of frame or signal, or AIS (RED, LOS, LFA, LMFA, BLUE) also a Severely
 * Errored Framing Second (SEFS). The driver's counters are counted as their growth: errored
 * seconds (ES), CRC errors (PCV), bipolar violations (LCV); as RFC 4805 asks, ES are not counted
 * while the line is unavailable. SESs, CSSs, LESs, BESs and DMs stay 0: no backend reports what
 * they need (per-second CRC counts against a threshold, slips, line-level ES).
 *
 * <p>Intervals are counted from agent start (the first one begins at {@link #start}); an interval
 * in which the agent did not run for all of it (the first one) is marked not valid
 * (dsx1IntervalValidData false), as the MIB defines. Thread-safe (the agent's timer writes,
 * request threads read); not on any call or media path.
 */
public final class Ds1Intervals {
    public static final long INTERVAL_MILLIS = 15 * 60 * 1000L;
    /** Completed intervals kept: 24 hours (dsx1IntervalNumber 1..96). */
    public static final int HISTORY = 96;

    /** Columns of a count row, in the order of dsx1CurrentEntry 2..11. */
    public static final int ES = 0, SES = 1, SEFS = 2, UAS = 3, CSS = 4, PCV = 5, LES = 6, BES = 7,
            DM = 8, LCV = 9, COLUMNS = 10;

    private static final int UNAVAILABLE = SpanAlarms.RED | SpanAlarms.BLUE | SpanAlarms.LOS | SpanAlarms.LFA
            | SpanAlarms.LMFA | SpanAlarms.NOTOPEN;
    private static final int FRAMING = SpanAlarms.RED | SpanAlarms.BLUE | SpanAlarms.LOS | SpanAlarms.LFA
            | SpanAlarms.LMFA;

    /** A completed interval: its counts and whether it covers the whole 15 minutes. */
    public record Interval(long[] counts, boolean valid) {
    }

    private static final class SpanHistory {
        long[] current = new long[COLUMNS];
        boolean currentValid;
        final Deque<Interval> done = new ArrayDeque<>();
        Ds1ErrorCounters last;
    }

    private final Map<Integer, SpanHistory> spans = new HashMap<>();
    private long intervalStart;
    private long lastTick;
    private boolean started;

    /** Starts counting at {@code nowMillis}: the first interval begins (it will be marked invalid). */
    public synchronized void start(GatewaySnapshot snapshot, long nowMillis) {
        spans.clear();
        intervalStart = nowMillis;
        lastTick = nowMillis;
        started = true;
        for (SpanView s : snapshot.spans()) {
            SpanHistory h = new SpanHistory();
            h.last = s.errors();
            spans.put(s.number(), h);
        }
    }

    /**
     * Counts the seconds since the last tick for each span (its alarms now stand for all of them:
     * ticks come each second) and closes the intervals that ended.
     */
    public synchronized void tick(GatewaySnapshot snapshot, long nowMillis) {
        if (!started) {
            start(snapshot, nowMillis);
            return;
        }
        while (nowMillis >= intervalStart + INTERVAL_MILLIS) {
            long boundary = intervalStart + INTERVAL_MILLIS;
            account(snapshot, boundary);
            for (SpanHistory h : spans.values()) {
                h.done.addFirst(new Interval(h.current, h.currentValid));
                while (h.done.size() > HISTORY) {
                    h.done.removeLast();
                }
                h.current = new long[COLUMNS];
                h.currentValid = true;
            }
            intervalStart = boundary;
        }
        account(snapshot, nowMillis);
    }

    private void account(GatewaySnapshot snapshot, long untilMillis) {
        long seconds = Math.max(0, (untilMillis - lastTick) / 1000);
        if (seconds == 0) {
            return;
        }
        lastTick += seconds * 1000;
        for (SpanView s : snapshot.spans()) {
            SpanHistory h = spans.computeIfAbsent(s.number(), n -> new SpanHistory());
            boolean unavailable = (s.alarms() & UNAVAILABLE) != 0;
            if (unavailable) {
                h.current[UAS] += seconds;
            }
            if ((s.alarms() & FRAMING) != 0) {
                h.current[SEFS] += seconds;
            }
            Ds1ErrorCounters now = s.errors();
            Ds1ErrorCounters was = h.last == null ? now : h.last;
            if (!unavailable) {
                h.current[ES] += delta(now.erroredSeconds(), was.erroredSeconds());
            }
            h.current[PCV] += delta(now.crc4Errors(), was.crc4Errors());
            h.current[LCV] += delta(now.bipolarViolations(), was.bipolarViolations());
            h.last = now;
        }
    }

    /** Growth of a cumulative counter; one that went backwards (driver reset) counts from 0. */
    private static long delta(long now, long base) {
        return now >= base ? now - base : now;
    }

    /** Seconds into the current interval (dsx1TimeElapsed, 0..899). */
    public synchronized int elapsedSeconds(long nowMillis) {
        return (int) Math.min(899, Math.max(0, nowMillis - intervalStart) / 1000);
    }

    /** Counts of the current interval (a copy; zeros for an unknown span). */
    public synchronized long[] current(int span) {
        SpanHistory h = spans.get(span);
        return h == null ? new long[COLUMNS] : h.current.clone();
    }

    /** Completed intervals, most recent first (dsx1IntervalNumber 1 first); empty before the first ends. */
    public synchronized List<Interval> intervals(int span) {
        SpanHistory h = spans.get(span);
        List<Interval> out = new ArrayList<>();
        if (h != null) {
            for (Interval i : h.done) {
                out.add(new Interval(i.counts().clone(), i.valid()));
            }
        }
        return out;
    }

    /** dsx1ValidIntervals: completed intervals held (0..96). */
    public synchronized int validIntervals(int span) {
        SpanHistory h = spans.get(span);
        return h == null ? 0 : h.done.size();
    }

    /** dsx1TotalTable: the sum of the completed intervals held (the 24 hours before the current one). */
    public synchronized long[] total(int span) {
        long[] t = new long[COLUMNS];
        SpanHistory h = spans.get(span);
        if (h != null) {
            for (Interval i : h.done) {
                for (int c = 0; c < COLUMNS; c++) {
                    t[c] += i.counts()[c];
                }
            }
        }
        return t;
    }
}
