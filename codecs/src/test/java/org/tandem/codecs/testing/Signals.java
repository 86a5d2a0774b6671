package org.tandem.codecs.testing;

import java.util.Random;

/** Test-signal helpers: independent measurements (RMS, single-bin DFT, zero crossings) and sources. */
public final class Signals {
    public static final double RATE = 8000.0;

    private Signals() {
    }

    public static double rms(short[] x, int off, int len) {
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / len);
    }

    /** Amplitude of the component at {@code hz}, by direct DFT at that frequency. */
    public static double amplitudeAt(short[] x, int off, int len, double hz) {
        double re = 0;
        double im = 0;
        for (int i = 0; i < len; i++) {
            double ph = 2 * Math.PI * hz * i / RATE;
            re += x[off + i] * Math.cos(ph);
            im += x[off + i] * Math.sin(ph);
        }
        return 2 * Math.hypot(re, im) / len;
    }

    /** Frequency estimated from the count and span of positive-going zero crossings. */
    public static double zeroCrossingFrequency(short[] x, int off, int len) {
        int first = -1;
        int last = -1;
        int count = 0;
        double firstT = 0;
        double lastT = 0;
        for (int i = off + 1; i < off + len; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double t = i - 1 + (double) -x[i - 1] / (x[i] - x[i - 1]);
                if (first < 0) {
                    first = i;
                    firstT = t;
                } else {
                    count++;
                }
                last = i;
                lastT = t;
            }
        }
        return last > first ? count * RATE / (lastT - firstT) : 0;
    }

    /** Adds a sine of {@code peak} amplitude at {@code hz} into x, starting at phase {@code phase}. */
    public static void addSine(double[] x, int off, int len, double hz, double peak, double phase) {
        for (int i = 0; i < len; i++) {
            x[off + i] += peak * Math.sin(phase + 2 * Math.PI * hz * i / RATE);
        }
    }

    /** Adds white Gaussian noise of the given RMS. */
    public static void addNoise(double[] x, int off, int len, double rms, Random random) {
        for (int i = 0; i < len; i++) {
            x[off + i] += rms * random.nextGaussian();
        }
    }

    public static short[] toShorts(double[] x) {
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i])));
        }
        return out;
    }

    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
