package org.tandem.codecs.plc;

import java.util.Objects;

/**
 * Packet loss concealment for G.711 per ITU-T G.711 Appendix I, for 10 ms and 20 ms frames of
 * 8 kHz linear audio (any multiple of 80 samples).
 *
 * <p>Call {@link #goodFrame} for every received frame and {@link #lostFrame} for every missing
 * one, in order. Both write the output for that frame; the output is the input delayed by
 * {@value #DELAY_SAMPLES} samples (3.75 ms), the look-ahead Appendix I needs to blend the start of a
 * loss into the history.
 * <pre>
 *  on the first lost 10 ms:  pitch = argmax normalised cross-correlation of the last 20 ms
 *                            with the history 40..120 samples (200..66 Hz) back (2:1 decimated
 *                            coarse search, then full-rate refinement around the best lag);
 *                            the last pitch/4 samples are overlap-added with those one period
 *                            earlier so the repeated period joins smoothly; 1 period is repeated
 *  2nd and 3rd lost 10 ms:   one more period of history joins the repeated buffer each time
 *                            (blended over pitch/4), to avoid a buzzy, too-periodic sound
 *  from the 2nd lost 10 ms:  linear attenuation of 20 % per 10 ms
 *  after 60 ms lost:         silence
 *  first good frame after:   the synthetic signal is overlap-added into it over
 *                            pitch/4 + 4 ms per extra lost 10 ms (at most 10 ms)
 * </pre>
 * Allocation-free after construction; one owning thread.
 */
public final class PacketLossConcealer {
    /** 10 ms at 8 kHz: the unit in which Appendix I works. */
    public static final int FRAME = 80;
    static final int PITCH_MIN = 40;
    static final int PITCH_MAX = 120;
    static final int PITCH_DIFF = PITCH_MAX - PITCH_MIN;
    static final int POVERLAP_MAX = PITCH_MAX >> 2;
    /** Output delay in samples. */
    public static final int DELAY_SAMPLES = POVERLAP_MAX;
    static final int HISTORY_LEN = PITCH_MAX * 3 + POVERLAP_MAX;
    static final int NDEC = 2;
    static final int CORR_LEN = 160;
    static final double CORR_MIN_POWER = 250.0;
    static final int EOVERLAP_INCR = 32;
    static final double ATTEN_FAC = 0.2;
    static final double ATTEN_INCR = ATTEN_FAC / FRAME;

    private final short[] history = new short[HISTORY_LEN];
    private final double[] pitchBuf = new double[HISTORY_LEN];
    private final double[] lastQuarter = new double[POVERLAP_MAX];
    private final short[] tmp = new short[FRAME];
    private int eraseCount;
    private int pitch;
    private int pitchBufLen;
    private int pitchBufStart;
    private int poffset;
    private int poverlap;

    /**
     * Back to the state of a new concealer: history and repetition buffers zeroed, no loss in
     * progress. For a concealer reused by another stream (nothing of the previous one is heard).
     */
    public void reset() {
        java.util.Arrays.fill(history, (short) 0);
        java.util.Arrays.fill(pitchBuf, 0.0);
        java.util.Arrays.fill(lastQuarter, 0.0);
        java.util.Arrays.fill(tmp, (short) 0);
        eraseCount = 0;
        pitch = 0;
        pitchBufLen = 0;
        pitchBufStart = 0;
        poffset = 0;
        poverlap = 0;
    }

    /** Number of consecutive 10 ms units concealed so far (0 while frames arrive). */
    public int erasedUnits() {
        return eraseCount;
    }

    /** Pitch period in samples found at the start of the current (or last) loss. */
    public int pitchPeriod() {
        return pitch;
    }

    /**
     * A received frame: {@code pcm[off..off+len)} is replaced in place by the output for this
     * frame. @throws IllegalArgumentException unless len is a positive multiple of 80
     */
    public void goodFrame(short[] pcm, int off, int len) {
        checkLength(pcm, off, len);
        for (int unit = off; unit < off + len; unit += FRAME) {
            if (eraseCount > 0) {
                int olen = Math.min(FRAME, poverlap + (eraseCount - 1) * EOVERLAP_INCR);
                syntheticSpeech(tmp, 0, olen);
                overlapAddAtEnd(pcm, unit, tmp, olen);
                eraseCount = 0;
            }
            saveSpeech(pcm, unit);
        }
    }

    /** A lost frame: {@code out[off..off+len)} receives the concealment output. */
    public void lostFrame(short[] out, int off, int len) {
        checkLength(out, off, len);
        for (int unit = off; unit < off + len; unit += FRAME) {
            concealUnit(out, unit);
        }
    }

    private static void checkLength(short[] pcm, int off, int len) {
        if (len <= 0 || len % FRAME != 0) {
            throw new IllegalArgumentException("G.711 Appendix I PLC works on multiples of 10 ms (80 samples), got " + len);
        }
        Objects.checkFromIndexSize(off, len, pcm.length);
    }

    private void concealUnit(short[] out, int off) {
        final int end = HISTORY_LEN;
        if (eraseCount == 0) {
            for (int i = 0; i < HISTORY_LEN; i++) {
                pitchBuf[i] = history[i];
            }
            pitch = findPitch();
            poverlap = pitch >> 2;
            System.arraycopy(pitchBuf, end - poverlap, lastQuarter, 0, poverlap);
            poffset = 0;
            pitchBufLen = pitch;
            pitchBufStart = end - pitchBufLen;
            overlapAdd(lastQuarter, pitchBuf, pitchBufStart - poverlap, pitchBuf, end - poverlap, poverlap);
            for (int i = 0; i < poverlap; i++) {
                history[HISTORY_LEN - poverlap + i] = (short) pitchBuf[end - poverlap + i];
            }
            syntheticSpeech(out, off, FRAME);
        } else if (eraseCount == 1 || eraseCount == 2) {
            int saveOffset = poffset;
            syntheticSpeech(tmp, 0, poverlap);
            poffset = saveOffset;
            while (poffset > pitch) {
                poffset -= pitch;
            }
            pitchBufLen += pitch;
            pitchBufStart = end - pitchBufLen;
            overlapAdd(lastQuarter, pitchBuf, pitchBufStart - poverlap, pitchBuf, end - poverlap, poverlap);
            syntheticSpeech(out, off, FRAME);
            // blend the old repetition's continuation into the new one
            double incr = 1.0 / poverlap;
            double lw = 1.0 - incr;
            double rw = incr;
            for (int i = 0; i < poverlap; i++) {
                out[off + i] = clip(lw * tmp[i] + rw * out[off + i]);
                lw -= incr;
                rw += incr;
            }
            scaleSpeech(out, off);
        } else if (eraseCount > 5) {
            for (int i = 0; i < FRAME; i++) {
                out[off + i] = 0;
            }
        } else {
            syntheticSpeech(out, off, FRAME);
            scaleSpeech(out, off);
        }
        eraseCount++;
        saveSpeech(out, off);
    }

    /** Next {@code len} samples of the repeated pitch buffer. */
    private void syntheticSpeech(short[] out, int off, int len) {
        while (len > 0) {
            int cnt = Math.min(pitchBufLen - poffset, len);
            for (int i = 0; i < cnt; i++) {
                out[off + i] = clip(pitchBuf[pitchBufStart + poffset + i]);
            }
            poffset += cnt;
            if (poffset == pitchBufLen) {
                poffset = 0;
            }
            off += cnt;
            len -= cnt;
        }
    }

    /** Linear ramp from 1 - 0.2 (n - 1) down by 0.2 over the 10 ms (n = units erased so far). */
    private void scaleSpeech(short[] out, int off) {
        double g = 1.0 - (eraseCount - 1) * ATTEN_FAC;
        for (int i = 0; i < FRAME; i++) {
            out[off + i] = (short) (out[off + i] * g);
            g -= ATTEN_INCR;
        }
    }

    private void overlapAddAtEnd(short[] s, int off, short[] f, int cnt) {
        double gain = Math.max(0.0, 1.0 - (eraseCount - 1) * ATTEN_FAC);
        double incr = 1.0 / cnt;
        double incrGain = incr * gain;
        double lw = (1.0 - incr) * gain;
        double rw = incr;
        for (int i = 0; i < cnt; i++) {
            s[off + i] = clip(lw * f[i] + rw * s[off + i]);
            lw -= incrGain;
            rw += incr;
        }
    }

    private static void overlapAdd(double[] l, double[] r, int rOff, double[] o, int oOff, int cnt) {
        double incr = 1.0 / cnt;
        double lw = 1.0 - incr;
        double rw = incr;
        for (int i = 0; i < cnt; i++) {
            o[oOff + i] = Math.max(-32768.0, Math.min(32767.0, lw * l[i] + rw * r[rOff + i]));
            lw -= incr;
            rw += incr;
        }
    }

    /**
     * Shifts the frame into the history and replaces it with the delayed output
     * (history from DELAY_SAMPLES + 80 back).
     */
    private void saveSpeech(short[] s, int off) {
        System.arraycopy(history, FRAME, history, 0, HISTORY_LEN - FRAME);
        System.arraycopy(s, off, history, HISTORY_LEN - FRAME, FRAME);
        System.arraycopy(history, HISTORY_LEN - FRAME - POVERLAP_MAX, s, off, FRAME);
    }

    /** Lag in 40..120 maximising the normalised cross-correlation of the last 20 ms with the past. */
    private int findPitch() {
        int r = HISTORY_LEN - CORR_LEN;
        int l = HISTORY_LEN - (CORR_LEN + PITCH_MAX);
        double[] b = pitchBuf;
        // coarse search at 2:1 decimation
        double energy = 0;
        double corr = 0;
        for (int i = 0; i < CORR_LEN; i += NDEC) {
            energy += b[l + i] * b[l + i];
            corr += b[r + i] * b[l + i];
        }
        double best = corr / Math.sqrt(Math.max(energy, CORR_MIN_POWER));
        int bestMatch = 0;
        for (int j = NDEC; j <= PITCH_DIFF; j += NDEC) {
            energy -= b[l + j - NDEC] * b[l + j - NDEC];
            energy += b[l + j - NDEC + CORR_LEN] * b[l + j - NDEC + CORR_LEN];
            corr = 0;
            for (int i = 0; i < CORR_LEN; i += NDEC) {
                corr += b[r + i] * b[l + j + i];
            }
            double c = corr / Math.sqrt(Math.max(energy, CORR_MIN_POWER));
            if (c >= best) {
                best = c;
                bestMatch = j;
            }
        }
        // fine search around the coarse best
        int from = Math.max(0, bestMatch - (NDEC - 1));
        int to = Math.min(PITCH_DIFF, bestMatch + (NDEC - 1));
        energy = 0;
        corr = 0;
        for (int i = 0; i < CORR_LEN; i++) {
            energy += b[l + from + i] * b[l + from + i];
            corr += b[r + i] * b[l + from + i];
        }
        best = corr / Math.sqrt(Math.max(energy, CORR_MIN_POWER));
        bestMatch = from;
        for (int j = from + 1; j <= to; j++) {
            energy -= b[l + j - 1] * b[l + j - 1];
            energy += b[l + j - 1 + CORR_LEN] * b[l + j - 1 + CORR_LEN];
            corr = 0;
            for (int i = 0; i < CORR_LEN; i++) {
                corr += b[r + i] * b[l + j + i];
            }
            double c = corr / Math.sqrt(Math.max(energy, CORR_MIN_POWER));
            if (c >= best) {
                best = c;
                bestMatch = j;
            }
        }
        return PITCH_MAX - bestMatch;
    }

    private static short clip(double v) {
        return (short) Math.max(-32768.0, Math.min(32767.0, v));
    }
}
