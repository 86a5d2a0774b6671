package org.tandem.codecs.plc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacketLossConcealerTest {
    private static final int UNIT = PacketLossConcealer.FRAME;
    private static final int DELAY = PacketLossConcealer.DELAY_SAMPLES;

    /** A voiced-speech-like periodic signal: fundamental plus decaying harmonics. */
    private static short[] periodic(int samples, double period) {
        short[] x = new short[samples];
        for (int n = 0; n < samples; n++) {
            double v = 0;
            for (int h = 1; h <= 5; h++) {
                v += Math.sin(2 * Math.PI * h * n / period + h) / h;
            }
            x[n] = (short) Math.round(6000 * v);
        }
        return x;
    }

    /** Runs the signal through the concealer; units in [lostFrom, lostTo) are lost. */
    private static short[] run(PacketLossConcealer plc, short[] in, int frame, int lostFrom, int lostTo) {
        short[] out = in.clone();
        for (int off = 0; off + frame <= in.length; off += frame) {
            int unit = off / UNIT;
            if (unit >= lostFrom && unit < lostTo) {
                plc.lostFrame(out, off, frame);
            } else {
                plc.goodFrame(out, off, frame);
            }
        }
        return out;
    }

    private static double rms(short[] x, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / len);
    }

    @Test
    void shouldDelayGoodAudioByThreePointSevenFiveMilliseconds() {
        short[] in = periodic(8 * UNIT, 57);
        short[] out = run(new PacketLossConcealer(), in, UNIT, -1, -1);
        for (int n = DELAY; n < in.length; n++) {
            assertEquals(in[n - DELAY], out[n], "sample " + n);
        }
    }

    @Test
    void shouldContinueThePitchOfAPeriodicSignalThroughALoss() {
        for (int period : new int[] {45, 57, 80, 110}) {
            short[] in = periodic(40 * UNIT, period);
            PacketLossConcealer plc = new PacketLossConcealer();
            short[] out = run(plc, in, UNIT, 20, 21);
            // a whole number of periods is as good a repetition unit as one (Appendix I may pick either)
            int found = plc.pitchPeriod();
            int periods = Math.max(1, Math.round((float) found / period));
            assertEquals(period * periods, found, periods, "pitch period found");
            // the concealed unit should look like the signal it replaces (delayed by DELAY)
            int from = 20 * UNIT;
            double dot = 0;
            double ee = 0;
            double oo = 0;
            for (int n = from; n < from + UNIT; n++) {
                dot += (double) out[n] * in[n - DELAY];
                ee += (double) in[n - DELAY] * in[n - DELAY];
                oo += (double) out[n] * out[n];
            }
            double correlation = dot / Math.sqrt(ee * oo);
            assertTrue(correlation > 0.9, "period " + period + ": correlation with the lost signal " + correlation);
        }
    }

    @Test
    void shouldAttenuateTwentyPercentPer10MillisecondsAfterTheFirst10() {
        int period = 80; // one period per 10 ms, so a unit's RMS measures its gain exactly
        short[] in = periodic(40 * UNIT, period);
        short[] out = run(new PacketLossConcealer(), in, UNIT, 20, 30);
        double reference = rms(in, 0, UNIT);
        for (int k = 0; k < 8; k++) {
            double expected = expectedGainRms(k);
            double measured = rms(out, (20 + k) * UNIT, UNIT) / reference;
            assertEquals(expected, measured, 0.06, "output unit " + k + " of the loss");
        }
    }

    /** RMS of the Appendix I gain over output unit k of a loss, counting the 30-sample delay. */
    private static double expectedGainRms(int k) {
        double sum = 0;
        for (int j = 0; j < UNIT; j++) {
            int unit = j < DELAY ? k - 1 : k;
            int i = j < DELAY ? UNIT - DELAY + j : j - DELAY;
            double g = unit < 0 || unit == 0 ? 1.0 : unit > 5 ? 0.0 : 1.0 - 0.2 * (unit - 1) - 0.2 * i / UNIT;
            sum += g * g;
        }
        return Math.sqrt(sum / UNIT);
    }

    @Test
    void shouldBeSilentAfterSixtyMillisecondsOfLoss() {
        short[] in = periodic(40 * UNIT, 63);
        short[] out = run(new PacketLossConcealer(), in, UNIT, 10, 20);
        for (int n = 17 * UNIT; n < 20 * UNIT; n++) {
            assertEquals(0, out[n], "sample " + n + " (" + (n - 10 * UNIT) / 8 + " ms into the loss)");
        }
        assertTrue(rms(out, 15 * UNIT + DELAY, UNIT - DELAY) > 0, "still sounding 50-60 ms into the loss");
    }

    @Test
    void shouldRecoverWithoutALargeDiscontinuity() {
        for (int lost : new int[] {1, 2, 3, 5, 8}) {
            short[] in = periodic(40 * UNIT, 71);
            short[] out = run(new PacketLossConcealer(), in, UNIT, 20, 20 + lost);
            int maxStepIn = 0;
            for (int n = 1; n < in.length; n++) {
                maxStepIn = Math.max(maxStepIn, Math.abs(in[n] - in[n - 1]));
            }
            for (int n = 20 * UNIT; n < 32 * UNIT; n++) {
                int step = Math.abs(out[n] - out[n - 1]);
                assertTrue(step <= 1.5 * maxStepIn, lost + " units lost: step " + step + " at " + n + " vs " + maxStepIn);
            }
            // after the blend, the output is the delayed input again
            for (int n = (21 + lost) * UNIT + DELAY; n < 32 * UNIT; n++) {
                assertEquals(in[n - DELAY], out[n], lost + " units lost: sample " + n);
            }
        }
    }

    @Test
    void shouldGiveTheSameOutputFor20MillisecondFramesAsFor10() {
        short[] in = periodic(40 * UNIT, 52);
        short[] by10 = run(new PacketLossConcealer(), in, UNIT, 12, 18);
        short[] by20 = run(new PacketLossConcealer(), in, 2 * UNIT, 12, 18);
        assertArrayEquals(by10, by20);
    }

    @Test
    void shouldRejectFramesThatAreNotMultiplesOfTenMilliseconds() {
        assertThrows(IllegalArgumentException.class, () -> new PacketLossConcealer().lostFrame(new short[100], 0, 100));
    }
}
