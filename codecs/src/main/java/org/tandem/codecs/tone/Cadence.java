package org.tandem.codecs.tone;

import java.util.Arrays;

/**
 * On/off pattern of a tone in milliseconds, repeated forever: {@code [on, off, on, off, ...]}.
 * An empty pattern means continuous.
 */
public final class Cadence {
    public static final Cadence CONTINUOUS = new Cadence();

    private final int[] onOffMs;

    private Cadence(int... onOffMs) {
        this.onOffMs = onOffMs;
    }

    /** @throws IllegalArgumentException unless the pattern is on/off pairs of positive durations */
    public static Cadence of(int... onOffMs) {
        if (onOffMs.length == 0 || onOffMs.length % 2 != 0) {
            throw new IllegalArgumentException("cadence needs on/off pairs in ms, got " + Arrays.toString(onOffMs));
        }
        for (int ms : onOffMs) {
            if (ms <= 0) {
                throw new IllegalArgumentException("cadence durations must be positive ms, got " + Arrays.toString(onOffMs));
            }
        }
        return new Cadence(onOffMs.clone());
    }

    public boolean isContinuous() {
        return onOffMs.length == 0;
    }

    /** Number of on/off segments (0 when continuous). */
    public int segments() {
        return onOffMs.length;
    }

    /** Duration of segment {@code i} in ms; even segments are "on". */
    public int segmentMs(int i) {
        return onOffMs[i];
    }

    public int periodMs() {
        int sum = 0;
        for (int ms : onOffMs) {
            sum += ms;
        }
        return sum;
    }

    @Override
    public String toString() {
        return isContinuous() ? "continuous" : Arrays.toString(onOffMs);
    }
}
