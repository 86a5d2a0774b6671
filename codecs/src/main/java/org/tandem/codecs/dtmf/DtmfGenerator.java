package org.tandem.codecs.dtmf;

import java.util.Objects;
import org.tandem.codecs.g711.CompandingLaw;

/**
 * Generates DTMF digits into caller buffers, frame by frame: {@link #start} a digit, then call
 * {@link #generate} until it returns 0. Allocation-free after construction; one owning thread.
 *
 * <p>Levels follow Q.23 practice: {@code levelDbm0} is the low-group component, the high group is
 * {@code twistDb} louder (senders use about +2 dB to pre-compensate line loss).
 */
public final class DtmfGenerator {
    private final CompandingLaw law;
    private double cosLow;
    private double sinLow;
    private double cosHigh;
    private double sinHigh;
    private double reLow;
    private double imLow;
    private double reHigh;
    private double imHigh;
    private double ampLow;
    private double ampHigh;
    private int remaining;

    /** @param law the link's law, which fixes what 0 dBm0 is in linear terms */
    public DtmfGenerator(CompandingLaw law) {
        this.law = Objects.requireNonNull(law, "law");
    }

    /**
     * Begins a digit.
     *
     * @param digit      0-9, *, #, A-D
     * @param durationMs tone duration
     * @param levelDbm0  low-group level per component (e.g. -10)
     * @param twistDb    high-group level minus low-group level (e.g. +2)
     */
    public void start(char digit, int durationMs, double levelDbm0, double twistDb) {
        if (durationMs <= 0) {
            throw new IllegalArgumentException("DTMF duration must be positive, got " + durationMs + " ms");
        }
        if (levelDbm0 > 0 || levelDbm0 + twistDb > 0) {
            throw new IllegalArgumentException("DTMF components must be at most 0 dBm0, got " + levelDbm0
                    + " dBm0 with twist " + twistDb + " dB");
        }
        double wl = 2 * Math.PI * Dtmf.lowFrequencyHz(digit) / 8000.0;
        double wh = 2 * Math.PI * Dtmf.highFrequencyHz(digit) / 8000.0;
        cosLow = Math.cos(wl);
        sinLow = Math.sin(wl);
        cosHigh = Math.cos(wh);
        sinHigh = Math.sin(wh);
        reLow = 1;
        imLow = 0;
        reHigh = 1;
        imHigh = 0;
        ampLow = law.peakForDbm0(levelDbm0);
        ampHigh = law.peakForDbm0(levelDbm0 + twistDb);
        remaining = durationMs * 8;
    }

    /** Samples of the current digit still to come. */
    public int remainingSamples() {
        return remaining;
    }

    /**
     * Writes up to {@code len} samples of the current digit; the rest of the range, if the digit
     * ends inside it, is filled with silence.
     *
     * @return the number of tone samples written (0 once the digit is complete)
     */
    public int generate(short[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        int n = Math.min(len, remaining);
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = (short) Math.round(ampLow * imLow + ampHigh * imHigh);
            double r = reLow * cosLow - imLow * sinLow;
            imLow = reLow * sinLow + imLow * cosLow;
            reLow = r;
            r = reHigh * cosHigh - imHigh * sinHigh;
            imHigh = reHigh * sinHigh + imHigh * cosHigh;
            reHigh = r;
        }
        for (int i = n; i < len; i++) {
            dst[dstOff + i] = 0;
        }
        remaining -= n;
        return n;
    }

    /** As {@link #generate(short[], int, int)}, encoded with the law, using {@code scratch} (>= len). */
    public int generate(byte[] dst, int dstOff, int len, short[] scratch) {
        int n = generate(scratch, 0, len);
        law.encode(scratch, 0, dst, dstOff, len);
        return n;
    }
}
