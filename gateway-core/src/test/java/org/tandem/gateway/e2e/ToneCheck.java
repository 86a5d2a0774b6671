package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Judges whether a tone came back in what a softphone (baresip) decoded: 8 kHz linear samples,
 * one recording per call.
 *
 * <p>The judgement is made on the best 250 ms window after the first second (windows of 2,000
 * samples every 125 ms), not on one long window. A Goertzel filter over a long window is
 * coherent: it measures phase continuity as well as frequency, so a single 10 ms splice anywhere
 * in the window (the gateway's adaptive jitter buffer dropping or inserting a slot to follow the
 * arrival jitter, docs/MEDIA.md; a concealed frame in baresip's own buffer) cancels part of the
 * tone and the share at 440 Hz fell to 0.59 in a failing run, although every 20 ms frame carried
 * the tone. Both are normal behaviour of a jitter buffer on a loaded machine (2 cores shared with
 * other builds). What the check must tell apart is a different thing: silence, the other line's
 * tone (1004 Hz), noise from a wrong law or a wrong key. None of these leaves a single clean
 * 250 ms window of the expected tone.
 */
final class ToneCheck {
    static final int RATE = 8_000;
    /** 250 ms: 110 whole periods of 440 Hz, bins 4 Hz wide. */
    static final int WINDOW = 2_000;
    static final int STEP = 1_000;

    private ToneCheck() {
    }

    /** The best window after the first second, with its share of energy at {@code hz}. */
    record Window(int at, double energy, double share, double shareAt1004) {
    }

    static Window bestWindow(short[] pcm, double hz) {
        Window best = new Window(-1, 0, 0, 0);
        for (int at = RATE; at + WINDOW <= pcm.length; at += STEP) {
            short[] w = java.util.Arrays.copyOfRange(pcm, at, at + WINDOW);
            double total = energy(w);
            double share = total == 0 ? 0 : 2 * tonePower(w, hz) / total;
            if (share > best.share()) {
                best = new Window(at, total, share, total == 0 ? 0 : 2 * tonePower(w, 1004) / total);
            }
        }
        return best;
    }

    /**
     * Asserts that {@code pcm} (at least two seconds) carries {@code hz}: a window after the first
     * second with real energy (not silence), more than 80 % of it at {@code hz}, and under 1 % at
     * 1004 Hz (the milliwatt line's tone).
     */
    static void assertHeard(short[] pcm, double hz, String what) {
        assertTrue(pcm.length > RATE * 2, "at least two seconds decoded: " + pcm.length + " samples");
        Window best = bestWindow(pcm, hz);
        assertTrue(best.energy() > 1e6, what + ": not silence (best window's mean energy " + best.energy() + ")");
        assertTrue(best.share() > 0.8, what + ": " + hz + " Hz (best window at sample " + best.at() + ": "
                + best.share() + " of its energy at " + hz + " Hz)");
        assertTrue(best.shareAt1004() < 0.01, what + ": not the milliwatt line's 1004 Hz (" + best.shareAt1004()
                + " of the best window)");
    }

    static double energy(short[] x) {
        double e = 0;
        for (short v : x) {
            e += (double) v * v;
        }
        return e / x.length;
    }

    /** Goertzel power at {@code hz} (8 kHz samples), scaled so a pure tone gives half its energy. */
    static double tonePower(short[] x, double hz) {
        double k = 2 * Math.cos(2 * Math.PI * hz / RATE);
        double s1 = 0;
        double s2 = 0;
        for (short v : x) {
            double s = v + k * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return (s1 * s1 + s2 * s2 - k * s1 * s2) / ((double) x.length * x.length);
    }
}
