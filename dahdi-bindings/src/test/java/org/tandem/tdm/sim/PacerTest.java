package org.tandem.tdm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long PERIOD = 20_000_000L;

    @Test
    void shouldNotAccumulateDriftOverOneHourOfLateWakeUps() {
        long start = 123_456_789L;
        Pacer pacer = new Pacer(start, PERIOD);
        SplittableRandom jitter = new SplittableRandom(42);
        long periodsInOneHour = 3_600_000_000_000L / PERIOD;
        long ticked = 0;
        long now = start;
        // Each wake-up happens 0..5 ms after the deadline the pacer asked for, like parkNanos on a busy box.
        for (long i = 0; i < periodsInOneHour * 2 && ticked < periodsInOneHour; i++) {
            now = pacer.nextDeadlineNs() + jitter.nextLong(5_000_000L);
            ticked += pacer.due(now, 10);
        }
        assertEquals(periodsInOneHour, ticked, "every period ticked exactly once");
        assertEquals(0, pacer.slips());
        // Period 180000 is due at exactly start + 1 h: lateness of each wake-up did not add up.
        assertEquals(start + 3_600_000_000_000L, pacer.deadlineNs(periodsInOneHour));
        assertEquals(start + 3_600_000_000_000L + PERIOD, pacer.nextDeadlineNs());
    }

    @Test
    void shouldTickEveryMissedPeriodAfterALateWakeUp() {
        Pacer pacer = new Pacer(0, PERIOD);
        assertEquals(0, pacer.due(PERIOD - 1, 10));
        assertEquals(1, pacer.due(PERIOD, 10));
        assertEquals(3, pacer.due(4 * PERIOD + 5, 10), "periods 2, 3 and 4");
        assertEquals(5 * PERIOD, pacer.nextDeadlineNs());
    }

    @Test
    void shouldCountSlipsBeyondTheCatchUpLimit() {
        Pacer pacer = new Pacer(0, PERIOD);
        assertEquals(10, pacer.due(100 * PERIOD, 10));
        assertEquals(90, pacer.slips());
        assertEquals(100, pacer.periodsElapsed());
        assertEquals(101 * PERIOD, pacer.nextDeadlineNs(), "the schedule stays on the original grid");
    }
}
