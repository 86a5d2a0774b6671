package org.tandem.gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtpReceiveStatisticsTest {
    @Test
    void shouldNeedTwoSequentialPacketsBeforeTheSourceIsValid() {
        RtpReceiveStatistics s = new RtpReceiveStatistics();
        assertEquals(RtpReceiveStatistics.PROBATION, s.update(10, 0, 0));
        assertFalse(s.valid());
        assertEquals(RtpReceiveStatistics.ACCEPTED, s.update(11, 160, 160));
        assertTrue(s.valid());
        assertEquals(1, s.expected());
    }

    @Test
    void shouldCountCyclesAcrossSequenceWrap() {
        RtpReceiveStatistics s = new RtpReceiveStatistics();
        for (int i = 0; i < 20; i++) {
            s.update((65530 + i) & 0xFFFF, i * 160, i * 160L);
        }
        assertEquals(65536 + 13, s.extendedHighestSequence());
        assertEquals(0, s.cumulativeLost());
    }

    @Test
    void shouldReportLossFractionPerIntervalAndCumulativeLoss() {
        RtpReceiveStatistics s = new RtpReceiveStatistics();
        s.update(0, 0, 0);
        for (int seq = 1; seq <= 101; seq++) {
            if (seq % 4 != 0) {
                s.update(seq, seq * 160, seq * 160L);
            }
        }
        // 0 was probation; counting starts at 1: expected 101, received 76
        assertEquals(25, s.cumulativeLost());
        assertEquals((25 << 8) / 101, s.nextFractionLost());
        for (int seq = 102; seq <= 200; seq++) {
            s.update(seq, seq * 160, seq * 160L);
        }
        assertEquals(0, s.nextFractionLost());
        assertEquals(25, s.cumulativeLost());
    }

    @Test
    void shouldCountDuplicatesSoCumulativeLossCanGoNegative() {
        RtpReceiveStatistics s = new RtpReceiveStatistics();
        s.update(0, 0, 0);
        s.update(1, 160, 160);
        // RFC 3550 A.1 counts a repeat of the highest sequence number as received (udelta 0)
        s.update(1, 160, 170);
        assertEquals(-1, s.cumulativeLost());
        assertEquals(RtpReceiveStatistics.OLD_OR_DUPLICATE, s.update(0, 0, 180));
        assertEquals(-2, s.cumulativeLost());
    }

    @Test
    void shouldResyncAfterTwoSequentialPacketsFollowingABigJump() {
        RtpReceiveStatistics s = new RtpReceiveStatistics();
        s.update(0, 0, 0);
        s.update(1, 160, 160);
        assertEquals(RtpReceiveStatistics.BAD_SEQUENCE, s.update(30000, 320, 320));
        assertEquals(RtpReceiveStatistics.ACCEPTED, s.update(30001, 480, 480));
        assertEquals(30001, s.extendedHighestSequence());
    }

    @Test
    void shouldEstimateInterarrivalJitterAsRfc3550A8() {
        RtpReceiveStatistics s = new RtpReceiveStatistics();
        // Alternate arrivals 0 and +80 units late: |D| = 80 each time; J converges to 80.
        for (int i = 0; i < 2000; i++) {
            s.update(i & 0xFFFF, i * 160, i * 160L + (i % 2 == 0 ? 0 : 80));
        }
        assertEquals(80, s.jitter(), 2);
        RtpReceiveStatistics steady = new RtpReceiveStatistics();
        for (int i = 0; i < 100; i++) {
            steady.update(i, i * 160, 1_000_000L + i * 160L);
        }
        assertEquals(0, steady.jitter());
    }
}
