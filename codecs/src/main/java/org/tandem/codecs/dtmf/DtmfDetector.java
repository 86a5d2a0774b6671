package org.tandem.codecs.dtmf;

import java.util.Arrays;
import java.util.Objects;
import org.tandem.codecs.g711.CompandingLaw;

/**
 * DTMF receiver for 8 kHz audio meeting the ITU-T Q.24 receiver figures (docs/CODECS.md).
 *
 * <p>Audio is cut into half-blocks of {@value #HALF} samples (8 ms). Each half-block runs a
 * Hann-windowed Goertzel filter at the eight Q.23 frequencies. Every half-block the last two
 * (a 128-sample, 16 ms window) are judged:
 * <pre>
 *   half-block:   |  h(i-1)  |   h(i)   |
 *   window:       |<----- 128 -------->|   judged every 64 samples
 *   per tone k:   P_k   = |Y_k(i-1)|^2 + |Y_k(i)|^2          tone power
 *                 df_k  = arg(Y_k(i) conj(Y_k(i-1)) e^{-j w_k 64}) / (2 pi 64 / 8000)   offset in Hz
 * </pre>
 * A window holds digit (r, c) when, for the strongest row r and column c:
 * <ol>
 *   <li>each tone is at least {@value #MIN_LEVEL_DBM0} dBm0 (signal level),</li>
 *   <li>the row is at most {@value #NORMAL_TWIST_DB} dB above the column (normal twist) and the
 *       column at most {@value #REVERSE_TWIST_DB} dB above the row (reverse twist),</li>
 *   <li>each tone's measured frequency is within {@value #FREQUENCY_TOLERANCE} of nominal (Q.24: must
 *       accept within 1.5% + 2 Hz, must reject beyond 3.5%),</li>
 *   <li>the two tones carry at least {@value #MIN_TONE_ENERGY_FRACTION} of the window's energy (speech,
 *       music, harmonics and a third tone fail this: the talk-off guard),</li>
 *   <li>each tone's power in the two half-blocks differs by less than 6 dB (the window lies inside
 *       the tone, not across its start or end).</li>
 * </ol>
 * A digit starts after {@value #START_WINDOWS} consecutive windows agree (tones shorter than about
 * 22 ms never do; 40 ms always does) and ends after {@value #END_WINDOWS} windows without it (gaps up
 * to about 10 ms are bridged; 40 ms pauses always separate digits).
 *
 * <p>Allocation-free; one owning thread; fed any chunk size.
 */
public final class DtmfDetector {
    static final int HALF = 64;
    static final double MIN_LEVEL_DBM0 = -32.0;
    static final double NORMAL_TWIST_DB = 8.0;
    static final double REVERSE_TWIST_DB = 4.0;
    static final double FREQUENCY_TOLERANCE = 0.025;
    static final double MIN_TONE_ENERGY_FRACTION = 0.85;
    static final double MAX_HALF_IMBALANCE_DB = 6.0;
    static final int START_WINDOWS = 3;
    static final int END_WINDOWS = 4;
    private static final char NONE = 0;

    private static final double[] HZ = new double[8];
    private static final double[] COEF = new double[8];
    private static final double[] COS_W = new double[8];
    private static final double[] SIN_W = new double[8];
    private static final double[] COS_WM = new double[8];
    private static final double[] SIN_WM = new double[8];
    private static final double[] WINDOW = new double[HALF];
    /** Power of a full-scale-normalised tone: P = A^2 * TONE_POWER_PER_A2 (Hann mean 1/2). */
    private static final double TONE_POWER_PER_A2 = 2 * (HALF * 0.5 / 2) * (HALF * 0.5 / 2);

    static {
        for (int k = 0; k < 8; k++) {
            HZ[k] = k < 4 ? Dtmf.ROW_HZ[k] : Dtmf.COLUMN_HZ[k - 4];
            double w = 2 * Math.PI * HZ[k] / 8000.0;
            COEF[k] = 2 * Math.cos(w);
            COS_W[k] = Math.cos(w);
            SIN_W[k] = Math.sin(w);
            COS_WM[k] = Math.cos(w * HALF);
            SIN_WM[k] = Math.sin(w * HALF);
        }
        for (int n = 0; n < HALF; n++) {
            double s = Math.sin(Math.PI * (n + 0.5) / HALF);
            WINDOW[n] = s * s;
        }
    }

    private final DtmfListener listener;
    private final double minTonePower;
    private final double windowEnergyScale;

    private final double[] s1 = new double[8];
    private final double[] s2 = new double[8];
    private final double[] prevRe = new double[8];
    private final double[] prevIm = new double[8];
    private final double[] curRe = new double[8];
    private final double[] curIm = new double[8];
    private double prevEnergy;
    private double curEnergy;
    private double energy;
    private int fill;
    private boolean havePrevious;
    private long samples;

    private char candidate = NONE;
    private int candidateCount;
    private long candidateStart;
    private char current = NONE;
    private long currentStart;
    private long lastHitEnd;
    private int misses;

    /**
     * @param listener receives digit start and end
     * @param law      fixes the 0 dBm0 reference for the level limit
     */
    public DtmfDetector(DtmfListener listener, CompandingLaw law) {
        this.listener = Objects.requireNonNull(listener, "listener");
        double minAmplitude = law.peakForDbm0(MIN_LEVEL_DBM0);
        this.minTonePower = minAmplitude * minAmplitude * TONE_POWER_PER_A2;
        // Energy of a unit-amplitude tone over the window is HALF (A^2/2 per sample x 2 HALF).
        this.windowEnergyScale = TONE_POWER_PER_A2 / HALF;
    }

    /** Forgets all state, including the sample clock and any digit in progress (no end is reported). */
    public void reset() {
        Arrays.fill(s1, 0);
        Arrays.fill(s2, 0);
        energy = 0;
        fill = 0;
        havePrevious = false;
        samples = 0;
        candidate = NONE;
        candidateCount = 0;
        current = NONE;
        misses = 0;
    }

    /** Samples processed since construction or {@link #reset()}: the timestamp of the next sample. */
    public long samplesProcessed() {
        return samples;
    }

    /** The digit currently held, or 0. */
    public char currentDigit() {
        return current;
    }

    /** Feeds linear 16-bit samples. */
    public void process(short[] pcm, int off, int len) {
        Objects.checkFromIndexSize(off, len, pcm.length);
        for (int i = 0; i < len; i++) {
            sample(pcm[off + i]);
        }
    }

    /** Feeds G.711 code words of {@code law}, decoded sample by sample. */
    public void process(CompandingLaw law, byte[] codes, int off, int len) {
        Objects.checkFromIndexSize(off, len, codes.length);
        for (int i = 0; i < len; i++) {
            sample(law.decode(codes[off + i]));
        }
    }

    private void sample(int x) {
        double v = x * WINDOW[fill];
        energy += (double) x * x;
        for (int k = 0; k < 8; k++) {
            double s0 = v + COEF[k] * s1[k] - s2[k];
            s2[k] = s1[k];
            s1[k] = s0;
        }
        samples++;
        if (++fill == HALF) {
            endHalf();
        }
    }

    private void endHalf() {
        for (int k = 0; k < 8; k++) {
            prevRe[k] = curRe[k];
            prevIm[k] = curIm[k];
            // y = s1 - e^{-jw} s2 = sum x[n] w[n] e^{jw(M-1-n)}
            curRe[k] = s1[k] - COS_W[k] * s2[k];
            curIm[k] = SIN_W[k] * s2[k];
            s1[k] = 0;
            s2[k] = 0;
        }
        prevEnergy = curEnergy;
        curEnergy = energy;
        energy = 0;
        fill = 0;
        if (havePrevious) {
            char digit = judge();
            track(digit, samples - 2 * HALF, samples);
        }
        havePrevious = true;
    }

    private double power(int k) {
        return prevRe[k] * prevRe[k] + prevIm[k] * prevIm[k] + curRe[k] * curRe[k] + curIm[k] * curIm[k];
    }

    private char judge() {
        int row = strongest(0);
        int col = strongest(4);
        double rowPower = power(row);
        double colPower = power(col);
        if (rowPower < minTonePower || colPower < minTonePower) {
            return NONE;
        }
        if (rowPower > colPower * dbToPower(NORMAL_TWIST_DB) || colPower > rowPower * dbToPower(REVERSE_TWIST_DB)) {
            return NONE;
        }
        double windowEnergy = prevEnergy + curEnergy;
        if ((rowPower + colPower) < MIN_TONE_ENERGY_FRACTION * windowEnergy * windowEnergyScale) {
            return NONE;
        }
        if (!steady(row) || !steady(col) || !onFrequency(row) || !onFrequency(col)) {
            return NONE;
        }
        return Dtmf.DIGITS[row][col - 4];
    }

    /** The strongest of the four filters of a group: rows from 0, columns from 4. */
    private int strongest(int first) {
        int best = first;
        for (int k = first + 1; k < first + 4; k++) {
            if (power(k) > power(best)) {
                best = k;
            }
        }
        return best;
    }

    private boolean steady(int k) {
        double a = prevRe[k] * prevRe[k] + prevIm[k] * prevIm[k];
        double b = curRe[k] * curRe[k] + curIm[k] * curIm[k];
        double limit = dbToPower(MAX_HALF_IMBALANCE_DB);
        return a < b * limit && b < a * limit;
    }

    /** Frequency offset from the phase advance between half-blocks (ambiguous beyond +-62 Hz). */
    private boolean onFrequency(int k) {
        // z = cur * conj(prev) * e^{-j w M}
        double re = curRe[k] * prevRe[k] + curIm[k] * prevIm[k];
        double im = curIm[k] * prevRe[k] - curRe[k] * prevIm[k];
        double zr = re * COS_WM[k] + im * SIN_WM[k];
        double zi = im * COS_WM[k] - re * SIN_WM[k];
        double offsetHz = Math.atan2(zi, zr) * 8000.0 / (2 * Math.PI * HALF);
        return Math.abs(offsetHz) <= FREQUENCY_TOLERANCE * HZ[k];
    }

    private static double dbToPower(double db) {
        return Math.pow(10.0, db / 10.0);
    }

    private void track(char digit, long windowStart, long windowEnd) {
        if (digit != NONE && digit == candidate) {
            candidateCount++;
        } else {
            candidate = digit;
            candidateCount = digit == NONE ? 0 : 1;
            candidateStart = windowStart;
        }
        if (current != NONE) {
            if (digit == current) {
                misses = 0;
                lastHitEnd = windowEnd;
            } else if (++misses >= END_WINDOWS || (digit != NONE && candidateCount >= START_WINDOWS)) {
                listener.onDigitEnd(current, currentStart, lastHitEnd);
                current = NONE;
            }
        }
        if (current == NONE && candidate != NONE && candidateCount >= START_WINDOWS) {
            current = candidate;
            currentStart = candidateStart;
            lastHitEnd = windowEnd;
            misses = 0;
            listener.onDigitStart(current, currentStart);
        }
    }
}
