package org.tandem.gateway.snmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.ops.Ds1ErrorCounters;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.TestModels;
import org.tandem.tdm.SpanAlarms;

/** DS1-MIB interval history from alarm seconds and driver counters, on a manual clock. */
class Ds1IntervalsTest {
    private final AtomicLong clock = new AtomicLong(TestModels.T0);
    private final GatewayModel model = TestModels.twoSpansWithCalls(clock);
    private final Ds1Intervals history = new Ds1Intervals();
    /** When the history starts (the test model's clock has moved on from T0 while it was filled). */
    private final long t0 = clock.get();

    private void run(int seconds) {
        for (int i = 0; i < seconds; i++) {
            clock.addAndGet(1000);
            history.tick(model.snapshot(), clock.get());
        }
    }

    @Test
    void shouldCountAlarmSecondsAndCounterGrowthInTheCurrentInterval() {
        history.start(model.snapshot(), clock.get());
        model.setSpanAlarms(1, SpanAlarms.RED | SpanAlarms.LOS);
        model.setSpanAlarms(2, SpanAlarms.YELLOW);          // far-end alarm: line still available
        run(10);
        model.setSpanAlarms(1, 0);
        model.setSpanErrors(1, new Ds1ErrorCounters(7, 3, 0, 2));
        run(5);
        long[] c = history.current(1);
        assertEquals(10, c[Ds1Intervals.UAS]);
        assertEquals(10, c[Ds1Intervals.SEFS]);
        assertEquals(2, c[Ds1Intervals.ES]);
        assertEquals(3, c[Ds1Intervals.PCV]);
        assertEquals(7, c[Ds1Intervals.LCV]);
        assertArrayEquals(new long[Ds1Intervals.COLUMNS], history.current(2), "YELLOW counts nothing near-end");
        assertEquals(15, history.elapsedSeconds(clock.get()));
        assertEquals(0, history.validIntervals(1));
    }

    @Test
    void shouldNotCountErroredSecondsWhileUnavailable() {
        history.start(model.snapshot(), clock.get());
        model.setSpanAlarms(1, SpanAlarms.BLUE);
        model.setSpanErrors(1, new Ds1ErrorCounters(0, 0, 0, 4));
        run(3);
        assertEquals(0, history.current(1)[Ds1Intervals.ES]);
        assertEquals(3, history.current(1)[Ds1Intervals.UAS]);
    }

    @Test
    void shouldCloseIntervalsEveryFifteenMinutesKeepNinetySixAndTotalThem() {
        history.start(model.snapshot(), clock.get());
        model.setSpanAlarms(1, SpanAlarms.RED);
        run(60);
        model.setSpanAlarms(1, 0);
        clock.set(t0 + Ds1Intervals.INTERVAL_MILLIS);
        history.tick(model.snapshot(), clock.get());
        List<Ds1Intervals.Interval> done = history.intervals(1);
        assertEquals(1, done.size());
        assertEquals(60, done.get(0).counts()[Ds1Intervals.UAS]);
        assertFalse(done.get(0).valid(), "the interval the agent started in is incomplete");
        assertEquals(0, history.current(1)[Ds1Intervals.UAS], "a new interval starts at zero");
        assertEquals(0, history.elapsedSeconds(clock.get()));

        model.setSpanAlarms(1, SpanAlarms.RED);
        run(30);
        model.setSpanAlarms(1, 0);
        clock.set(t0 + 2 * Ds1Intervals.INTERVAL_MILLIS + 5_000);
        history.tick(model.snapshot(), clock.get());
        done = history.intervals(1);
        assertEquals(2, done.size());
        assertEquals(30, done.get(0).counts()[Ds1Intervals.UAS], "number 1 is the most recent");
        assertTrue(done.get(0).valid());
        assertEquals(60, done.get(1).counts()[Ds1Intervals.UAS]);
        assertEquals(90, history.total(1)[Ds1Intervals.UAS]);
        assertEquals(5, history.elapsedSeconds(clock.get()));

        // a day and more later: 96 kept, the oldest dropped
        clock.set(t0 + 100 * Ds1Intervals.INTERVAL_MILLIS);
        history.tick(model.snapshot(), clock.get());
        assertEquals(Ds1Intervals.HISTORY, history.validIntervals(1));
        assertEquals(0, history.total(1)[Ds1Intervals.UAS], "the alarm seconds are older than 24 hours");
    }
}
