package org.tandem.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverloadControlTest {
    private final OverloadControl c = new OverloadControl(new OverloadControl.Thresholds(100, 1000, 90, 0, 80), 5);

    private static OverloadControl.Sample latency(long ms) {
        return new OverloadControl.Sample(ms, 0, 10, 0);
    }

    @Test
    void shouldAdmitEverythingBelowTheThresholds() {
        assertFalse(c.evaluate(new OverloadControl.Sample(99, 999, 89, 100)), "busy channels are not measured (0)");
        assertEquals(0, c.reductionPercent());
        for (int i = 0; i < 1000; i++) {
            assertTrue(c.admitNewCall());
        }
        assertEquals(0, c.rejected());
    }

    @Test
    void shouldRaiseTheShareWhileOverloadedHoldItInTheBandAndLowerItBelowLeave() {
        assertFalse(c.evaluate(latency(500)), "one late probe (a GC pause) is no overload");
        assertFalse(c.evaluate(latency(0)));
        assertFalse(c.evaluate(latency(100)));
        assertFalse(c.evaluate(latency(100)));
        assertEquals(0, c.reductionPercent());
        assertTrue(c.evaluate(latency(100)), "at the threshold three samples in a row: overload begins");
        assertEquals(10, c.reductionPercent());
        assertTrue(c.reason().contains("queue latency 100 ms"), c.reason());
        assertFalse(c.evaluate(latency(300)));
        assertEquals(100, c.reductionPercent(), "three times the threshold adds 100: capped at 100");
        assertFalse(c.evaluate(latency(85)), "between 80% and 100% of the threshold: holds");
        assertEquals(100, c.reductionPercent());
        for (int i = 0; i < 9; i++) {
            assertFalse(c.evaluate(latency(79)));
        }
        assertEquals(10, c.reductionPercent(), "10 points per sample below leave_percent");
        assertTrue(c.evaluate(latency(0)), "overload ends");
        assertEquals(0, c.reductionPercent());
        assertEquals("", c.reason());
    }

    @Test
    void shouldRefuseTheShareEvenlyAndCountIt() {
        for (int i = 1; i < OverloadControl.CPU_ONSET_SAMPLES; i++) {
            c.evaluate(new OverloadControl.Sample(0, 0, 99, 0)); // CPU 99 of 90, but not for 2 s yet
        }
        assertEquals(0, c.reductionPercent(), "a burst of CPU (the JIT at start) is no overload");
        for (int i = 0; i < OverloadControl.ONSET_SAMPLES + 2; i++) {
            c.evaluate(new OverloadControl.Sample(0, 0, 99, 0)); // past 2 s: the usual onset, then +10 a sample
        }
        assertEquals(30, c.reductionPercent());
        int refusedInFirstTen = 0;
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            if (!c.admitNewCall()) {
                refused++;
                if (i < 10) {
                    refusedInFirstTen++;
                }
            }
        }
        assertEquals(300, refused);
        assertEquals(3, refusedInFirstTen, "3 in every 10, not 30 in a row");
        assertEquals(300, c.rejected());
    }

    @Test
    void shouldTakeTheWorstMeasureAndNameIt() {
        for (int i = 0; i < OverloadControl.ONSET_SAMPLES; i++) {
            c.evaluate(new OverloadControl.Sample(50, 4000, 10, 0));
        }
        assertEquals(100, c.reductionPercent(), "depth 4x its threshold: +150, capped");
        assertTrue(c.reason().contains("queue depth 4000"), c.reason());
        long seq = c.sequenceMillis();
        c.evaluate(new OverloadControl.Sample(50, 4000, 10, 0));
        assertEquals(seq, c.sequenceMillis(), "oc-seq changes only with the share");
        c.evaluate(latency(0));
        assertTrue(c.sequenceMillis() > seq);
    }
}
