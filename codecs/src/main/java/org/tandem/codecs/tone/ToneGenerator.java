package org.tandem.codecs.tone;

import java.util.Objects;
import org.tandem.codecs.g711.CompandingLaw;

/**
 * Produces a cadenced one- or two-frequency tone frame by frame into caller buffers. Oscillators
 * are phase-continuous across calls and across cadence switches (they keep running through the
 * "off" segments), so any frame size gives the same signal. Allocation-free after construction;
 * one owning thread.
 */
public final class ToneGenerator {
    private final Cadence cadence;
    private final int[] segmentSamples;
    private final double amplitude;
    private final double cos1;
    private final double sin1;
    private final double cos2;
    private final double sin2;
    private final boolean dual;

    private double re1 = 1.0;
    private double im1;
    private double re2 = 1.0;
    private double im2;
    private int segment;
    private int samplesLeftInSegment;

    /**
     * @param tone what to play
     * @param law  the link's law, which fixes what 0 dBm0 is in linear terms
     */
    public ToneGenerator(ToneDefinition tone, CompandingLaw law) {
        this.cadence = tone.cadence();
        this.segmentSamples = new int[cadence.segments()];
        for (int i = 0; i < segmentSamples.length; i++) {
            segmentSamples[i] = cadence.segmentMs(i) * 8;
        }
        this.amplitude = law.peakForDbm0(tone.levelDbm0());
        double w1 = 2 * Math.PI * tone.frequency1Hz() / 8000.0;
        double w2 = 2 * Math.PI * tone.frequency2Hz() / 8000.0;
        this.cos1 = Math.cos(w1);
        this.sin1 = Math.sin(w1);
        this.cos2 = Math.cos(w2);
        this.sin2 = Math.sin(w2);
        this.dual = tone.frequency2Hz() > 0;
        reset();
    }

    /** Restarts at the beginning of the first "on" segment with zero phase. */
    public void reset() {
        re1 = 1.0;
        im1 = 0.0;
        re2 = 1.0;
        im2 = 0.0;
        segment = 0;
        samplesLeftInSegment = segmentSamples.length == 0 ? Integer.MAX_VALUE : segmentSamples[0];
    }

    /** Writes the next {@code len} samples of the tone to {@code dst[dstOff..]}. */
    public void generate(short[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            if (samplesLeftInSegment == 0) {
                segment = (segment + 1) % segmentSamples.length;
                samplesLeftInSegment = segmentSamples[segment];
            }
            if (segmentSamples.length != 0) {
                samplesLeftInSegment--;
            }
            // im = sin(phase): rotate each unit phasor by its per-sample angle.
            double value = im1;
            double r = re1 * cos1 - im1 * sin1;
            im1 = re1 * sin1 + im1 * cos1;
            re1 = r;
            if (dual) {
                value += im2;
                r = re2 * cos2 - im2 * sin2;
                im2 = re2 * sin2 + im2 * cos2;
                re2 = r;
            }
            dst[dstOff + i] = (segment & 1) == 0 ? (short) Math.round(value * amplitude) : 0;
        }
        renormalize();
    }

    /** Writes the next {@code len} samples encoded with {@code law}, using {@code scratch} (>= len). */
    public void generate(CompandingLaw law, byte[] dst, int dstOff, int len, short[] scratch) {
        generate(scratch, 0, len);
        law.encode(scratch, 0, dst, dstOff, len);
    }

    /** Keeps rounding error from growing the phasors' magnitude over hours of tone. */
    private void renormalize() {
        double g1 = (3.0 - (re1 * re1 + im1 * im1)) * 0.5;
        re1 *= g1;
        im1 *= g1;
        double g2 = (3.0 - (re2 * re2 + im2 * im2)) * 0.5;
        re2 *= g2;
        im2 *= g2;
    }
}
