package org.tandem.codecs.dtmf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.testing.Signals;

class DtmfDetectorTest {
    private static final CompandingLaw LAW = CompandingLaw.ALAW;
    private static final int FRAME = 160;
    /** Start/end timestamps must be within 5 ms of the truth. */
    private static final int TIMING_TOLERANCE = 40;

    /** Records events as "d@start-end"; start-only digits stay open. */
    static final class Recorder implements DtmfListener {
        final List<Character> digits = new ArrayList<>();
        final List<long[]> spans = new ArrayList<>();
        int open;

        @Override
        public void onDigitStart(char digit, long startSample) {
            digits.add(digit);
            spans.add(new long[] {startSample, -1});
            open++;
        }

        @Override
        public void onDigitEnd(char digit, long startSample, long endSample) {
            long[] last = spans.get(spans.size() - 1);
            assertEquals(digits.get(digits.size() - 1), digit, "end reports the digit that started");
            assertEquals(last[0], startSample, "end repeats the start timestamp");
            last[1] = endSample;
            open--;
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            digits.forEach(sb::append);
            return sb.toString();
        }
    }

    private static Recorder detect(short[] pcm) {
        Recorder r = new Recorder();
        DtmfDetector d = new DtmfDetector(r, LAW);
        for (int off = 0; off < pcm.length; off += FRAME) {
            d.process(pcm, off, Math.min(FRAME, pcm.length - off));
        }
        return r;
    }

    /** Appends a two-tone burst; frequencies and levels per component given explicitly. */
    private static void tone(double[] x, int startMs, int durationMs, double lowHz, double lowDbm0,
                             double highHz, double highDbm0) {
        int start = startMs * 8;
        int len = durationMs * 8;
        Signals.addSine(x, start, len, lowHz, LAW.peakForDbm0(lowDbm0), 0.3);
        Signals.addSine(x, start, len, highHz, LAW.peakForDbm0(highDbm0), 1.1);
    }

    @Test
    void shouldDetectAllSixteenGeneratedDigitsWithTheirStartAndEnd() {
        int toneMs = 50;
        int pauseMs = 50;
        String digits = Dtmf.ALL_DIGITS;
        short[] pcm = new short[8 * (digits.length() * (toneMs + pauseMs) + 100)];
        DtmfGenerator g = new DtmfGenerator(LAW);
        int off = 8 * 20;
        for (char c : digits.toCharArray()) {
            g.start(c, toneMs, -10, 2);
            while (g.remainingSamples() > 0) {
                off += g.generate(pcm, off, Math.min(FRAME, pcm.length - off));
            }
            off += 8 * pauseMs;
        }
        Recorder r = detect(pcm);
        assertEquals(digits, r.text());
        assertEquals(0, r.open);
        for (int i = 0; i < digits.length(); i++) {
            long trueStart = 8 * (20 + i * (toneMs + pauseMs));
            assertEquals(trueStart, r.spans.get(i)[0], TIMING_TOLERANCE, "start of " + digits.charAt(i));
            assertEquals(trueStart + 8 * toneMs, r.spans.get(i)[1], TIMING_TOLERANCE, "end of " + digits.charAt(i));
        }
    }

    @ParameterizedTest
    @EnumSource(CompandingLaw.class)
    void shouldDetectDigitsCarriedAsG711CodeWords(CompandingLaw law) {
        DtmfGenerator g = new DtmfGenerator(law);
        Recorder r = new Recorder();
        DtmfDetector d = new DtmfDetector(r, law);
        byte[] frame = new byte[FRAME];
        short[] scratch = new short[FRAME];
        for (char c : "1590#".toCharArray()) {
            g.start(c, 60, -20, 2);
            for (int i = 0; i < 5; i++) { // 60 ms tone then 40 ms silence
                g.generate(frame, 0, FRAME, scratch);
                d.process(law, frame, 0, FRAME);
            }
        }
        assertEquals("1590#", r.text());
    }

    @Test
    void shouldAcceptEveryFrequencyWithinOneAndAHalfPercentPlusTwoHertz() {
        for (int k = 0; k < 8; k++) {
            for (int sign : new int[] {-1, 1}) {
                String got = detectWithOffset(k, sign * (0.015 * hz(k) + 2));
                assertEquals(String.valueOf(digitFor(k)), got, hz(k) + " Hz offset " + sign + "(1.5% + 2 Hz)");
            }
        }
    }

    @Test
    void shouldRejectEveryFrequencyThreeAndAHalfPercentOrMoreOff() {
        for (int k = 0; k < 8; k++) {
            for (double pct : new double[] {-0.06, -0.045, -0.035, 0.035, 0.045, 0.06}) {
                assertEquals("", detectWithOffset(k, pct * hz(k)), hz(k) + " Hz offset " + pct * 100 + "%");
            }
        }
    }

    private static double hz(int k) {
        return k < 4 ? Dtmf.ROW_HZ[k] : Dtmf.COLUMN_HZ[k - 4];
    }

    /** A digit using tone k (the other tone's group at index 1). */
    private static char digitFor(int k) {
        return k < 4 ? Dtmf.DIGITS[k][1] : Dtmf.DIGITS[1][k - 4];
    }

    private static String detectWithOffset(int k, double offsetHz) {
        double low = k < 4 ? hz(k) + offsetHz : Dtmf.ROW_HZ[1];
        double high = k < 4 ? Dtmf.COLUMN_HZ[1] : hz(k) + offsetHz;
        double[] x = new double[8 * 200];
        tone(x, 20, 100, low, -10, high, -8);
        return detect(Signals.toShorts(x)).text();
    }

    @Test
    void shouldAcceptTwistWithinEightDbNormalAndFourDbReverseOnEveryDigit() {
        for (char c : Dtmf.ALL_DIGITS.toCharArray()) {
            assertEquals(String.valueOf(c), twisted(c, -10, -17.5), c + ": low group 7.5 dB above high (normal)");
            assertEquals(String.valueOf(c), twisted(c, -13.5, -10), c + ": high group 3.5 dB above low (reverse)");
        }
    }

    @Test
    void shouldRejectTwistBeyondTheLimitsOnEveryDigit() {
        for (char c : Dtmf.ALL_DIGITS.toCharArray()) {
            assertEquals("", twisted(c, -10, -19), c + ": 9 dB normal twist");
            assertEquals("", twisted(c, -15, -10), c + ": 5 dB reverse twist");
        }
    }

    private static String twisted(double lowDbm0, double highDbm0) {
        return twisted('5', lowDbm0, highDbm0);
    }

    private static String twisted(char digit, double lowDbm0, double highDbm0) {
        double[] x = new double[8 * 200];
        tone(x, 20, 100, Dtmf.lowFrequencyHz(digit), lowDbm0, Dtmf.highFrequencyHz(digit), highDbm0);
        return detect(Signals.toShorts(x)).text();
    }

    @Test
    void shouldAcceptFortyMillisecondTonesAtAnyAlignment() {
        for (int shift = 0; shift < 64; shift += 4) {
            double[] x = new double[8 * 150];
            Signals.addSine(x, 160 + shift, 320, 770, LAW.peakForDbm0(-10), 0);
            Signals.addSine(x, 160 + shift, 320, 1336, LAW.peakForDbm0(-8), 0);
            assertEquals("5", detect(Signals.toShorts(x)).text(), "shift " + shift);
        }
    }

    @Test
    void shouldRejectTonesShorterThanTwentyMilliseconds() {
        for (int shift = 0; shift < 64; shift += 4) {
            double[] x = new double[8 * 150];
            Signals.addSine(x, 160 + shift, 160, 770, LAW.peakForDbm0(-10), 0);
            Signals.addSine(x, 160 + shift, 160, 1336, LAW.peakForDbm0(-8), 0);
            assertEquals("", detect(Signals.toShorts(x)).text(), "shift " + shift);
        }
    }

    @Test
    void shouldSeparateRepeatedDigitsByAFortyMillisecondPauseAtAnyAlignment() {
        for (int shift = 0; shift < 64; shift += 4) {
            assertEquals("55", twoBursts(shift, 40), "shift " + shift);
        }
    }

    @Test
    void shouldBridgeInterruptionsOfUpToTenMillisecondsAtAnyAlignment() {
        for (int shift = 0; shift < 64; shift += 4) {
            assertEquals("5", twoBursts(shift, 5), "5 ms gap, shift " + shift);
            assertEquals("5", twoBursts(shift, 10), "10 ms gap, shift " + shift);
        }
    }

    /** Two 60 ms bursts of digit 5, {@code gapMs} apart, starting {@code shift} samples after 20 ms. */
    private static String twoBursts(int shift, int gapMs) {
        double[] x = new double[8 * 300];
        for (int start : new int[] {160 + shift, 160 + shift + 8 * (60 + gapMs)}) {
            Signals.addSine(x, start, 480, 770, LAW.peakForDbm0(-10), 0.3);
            Signals.addSine(x, start, 480, 1336, LAW.peakForDbm0(-8), 1.1);
        }
        return detect(Signals.toShorts(x)).text();
    }

    @Test
    void shouldDetectDigitsDownToMinusTwentyEightDbm0AndIgnoreThemBelowMinusThirtySix() {
        assertEquals("5", twisted(-28, -28));
        assertEquals("", twisted(-36, -36));
    }

    @Test
    void shouldDetectEveryDigitInWhiteNoiseAtFifteenDbSnr() {
        Random random = new Random(42);
        double toneRms = Math.sqrt(2 * Math.pow(LAW.peakForDbm0(-15), 2) / 2);
        double noiseRms = toneRms / Math.pow(10, 15 / 20.0);
        String digits = Dtmf.ALL_DIGITS;
        double[] x = new double[8 * (digits.length() * 120 + 100)];
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            tone(x, 20 + i * 120, 60, Dtmf.lowFrequencyHz(c), -15, Dtmf.highFrequencyHz(c), -15);
        }
        Signals.addNoise(x, 0, x.length, noiseRms, random);
        assertEquals(digits, detect(Signals.toShorts(x)).text());
    }

    @Test
    void shouldStaySilentOnWhiteNoise() {
        double[] x = new double[8 * 5000];
        Signals.addNoise(x, 0, x.length, LAW.peakForDbm0(-15), new Random(1));
        assertEquals("", detect(Signals.toShorts(x)).text());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void shouldNotTalkOffOnSyntheticVowels(int seed) {
        // Glottal pulse trains with drifting pitch through three formant resonators, syllabic AM.
        Random random = new Random(seed);
        double[][] vowels = {{730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480},
                {660, 1720, 2410}, {640, 1190, 2390}, {490, 1350, 1690}};
        int len = 8 * 6000;
        double[] x = new double[len];
        double phase = 0;
        int vowel = 0;
        double[] y1 = new double[3];
        double[] y2 = new double[3];
        for (int n = 0; n < len; n++) {
            if (n % 1600 == 0) {
                vowel = random.nextInt(vowels.length);
            }
            double f0 = 90 + 140 * (0.5 + 0.5 * Math.sin(2 * Math.PI * n / (8000 * 1.3))) + 10 * random.nextGaussian();
            phase += f0 / 8000;
            double excitation = 0;
            if (phase >= 1) {
                phase -= 1;
                excitation = 1;
            }
            excitation += 0.02 * random.nextGaussian();
            double out = 0;
            for (int f = 0; f < 3; f++) {
                double r = Math.exp(-Math.PI * 80 / 8000);
                double w = 2 * Math.PI * vowels[vowel][f] / 8000;
                double y = excitation + 2 * r * Math.cos(w) * y1[f] - r * r * y2[f];
                y2[f] = y1[f];
                y1[f] = y;
                out += y / (f + 1);
            }
            double syllable = Math.max(0, Math.sin(2 * Math.PI * n / (8000 * 0.25)));
            x[n] = out * syllable;
        }
        scaleToDbm0(x, -12);
        assertEquals("", detect(Signals.toShorts(x)).text());
    }

    @Test
    void shouldNotTalkOffOnAmplitudeModulatedBandLimitedNoise() {
        Random random = new Random(7);
        double[] x = new double[8 * 6000];
        double a = 0;
        double b = 0;
        for (int n = 0; n < x.length; n++) {
            double w = random.nextGaussian();
            a = 0.7 * a + w;            // crude speech-band shaping
            b = b + 0.2 * (a - b);
            x[n] = (a - b) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * n / 8000.0));
        }
        scaleToDbm0(x, -10);
        assertEquals("", detect(Signals.toShorts(x)).text());
    }

    @Test
    void shouldNotTalkOffOnMusicLikeChordsWithHarmonics() {
        // Equal-tempered chords near the DTMF grid, with three harmonics each, and a melody line.
        Random random = new Random(3);
        double[] x = new double[8 * 8000];
        int noteLen = 8 * 250;
        for (int start = 0; start + noteLen <= x.length; start += noteLen) {
            int root = 40 + random.nextInt(24); // MIDI note numbers: E2..D#4
            int[] chord = {root, root + 4, root + 7, root + 12 + random.nextInt(12)};
            for (int note : chord) {
                double f = 440 * Math.pow(2, (note - 69) / 12.0);
                for (int h = 1; h <= 3 && f * h < 3800; h++) {
                    Signals.addSine(x, start, noteLen, f * h, 3000.0 / h, random.nextDouble() * 6);
                }
            }
        }
        scaleToDbm0(x, -10);
        assertEquals("", detect(Signals.toShorts(x)).text());
    }

    @Test
    void shouldNotTalkOffOnTwoDtmfFrequenciesWithAThirdTone() {
        double[] x = new double[8 * 300];
        tone(x, 20, 200, 770, -10, 1336, -10);
        Signals.addSine(x, 160, 1600, 1000, LAW.peakForDbm0(-10), 0);
        assertEquals("", detect(Signals.toShorts(x)).text());
    }

    @Test
    void shouldReportTheSampleClock() {
        Recorder r = new Recorder();
        DtmfDetector d = new DtmfDetector(r, LAW);
        d.process(new short[333], 0, 333);
        assertEquals(333, d.samplesProcessed());
        assertTrue(r.digits.isEmpty());
    }

    private static void scaleToDbm0(double[] x, double dbm0) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        double rms = Math.sqrt(sum / x.length);
        double target = LAW.peakForDbm0(dbm0) / Math.sqrt(2);
        for (int i = 0; i < x.length; i++) {
            x[i] *= target / rms;
        }
    }
}
