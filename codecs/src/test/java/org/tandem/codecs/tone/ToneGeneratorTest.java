package org.tandem.codecs.tone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.testing.Signals;

class ToneGeneratorTest {

    @Test
    void shouldGenerateTheMulawDigitalMilliwattOfG711Table5() {
        byte[] out = new byte[16];
        new DigitalMilliwatt(CompandingLaw.MULAW).fill(out, 0, 16);
        byte[] period = {0x1E, 0x0B, 0x0B, 0x1E, (byte) 0x9E, (byte) 0x8B, (byte) 0x8B, (byte) 0x9E};
        for (int i = 0; i < 16; i++) {
            assertEquals(period[i % 8], out[i], "code word " + i);
        }
    }

    @Test
    void shouldGenerateTheAlawDigitalMilliwattOfG711Table6() {
        byte[] out = new byte[8];
        new DigitalMilliwatt(CompandingLaw.ALAW).fill(out, 0, 8);
        assertArrayEquals(new byte[] {0x34, 0x21, 0x21, 0x34, (byte) 0xB4, (byte) 0xA1, (byte) 0xA1, (byte) 0xB4}, out);
    }

    @ParameterizedTest
    @EnumSource(CompandingLaw.class)
    void shouldDecodeTheDigitalMilliwattAtZeroDbm0Within0point1Db(CompandingLaw law) {
        byte[] codes = new byte[8000];
        new DigitalMilliwatt(law).fill(codes, 0, codes.length);
        short[] pcm = new short[codes.length];
        law.decode(codes, 0, pcm, 0, codes.length);
        assertEquals(0.0, law.dbm0ForRms(Signals.rms(pcm, 0, pcm.length)), 0.1);
        assertEquals(1000.0, Signals.zeroCrossingFrequency(pcm, 0, pcm.length), 1.0);
    }

    @ParameterizedTest
    @EnumSource(CompandingLaw.class)
    void shouldSendThe1004HzTestToneAtZeroDbm0Within0point1DbAnd1Hz(CompandingLaw law) {
        ToneGenerator generator = DigitalMilliwatt.testTone1004Hz(law);
        short[] scratch = new short[160];
        byte[] codes = new byte[8000];
        for (int off = 0; off < codes.length; off += 160) {
            generator.generate(law, codes, off, 160, scratch);
        }
        short[] pcm = new short[codes.length];
        law.decode(codes, 0, pcm, 0, codes.length);
        assertEquals(0.0, law.dbm0ForRms(Signals.rms(pcm, 0, pcm.length)), 0.1);
        assertEquals(1004.0, Signals.zeroCrossingFrequency(pcm, 0, pcm.length), 1.0);
    }

    @ParameterizedTest
    @EnumSource(TonePlan.class)
    void shouldPlayEveryToneOfThePlanWithItsFrequenciesLevelAndCadence(TonePlan plan) {
        for (CallProgressTone which : CallProgressTone.values()) {
            ToneDefinition def = plan.tone(which);
            ToneGenerator generator = new ToneGenerator(def, CompandingLaw.ALAW);
            int total = 8 * 12_000;
            short[] pcm = new short[total];
            for (int off = 0; off < total; off += 160) {
                generator.generate(pcm, off, 160);
            }
            String what = plan + " " + which;
            // level and frequencies over the first 200 ms (inside the first "on" segment)
            double expectedPeak = CompandingLaw.ALAW.peakForDbm0(def.levelDbm0());
            assertEquals(expectedPeak, Signals.amplitudeAt(pcm, 0, 1600, def.frequency1Hz()), expectedPeak * 0.02, what);
            if (def.frequency2Hz() > 0) {
                assertEquals(expectedPeak, Signals.amplitudeAt(pcm, 0, 1600, def.frequency2Hz()), expectedPeak * 0.02, what);
            }
            // cadence: lengths of the on and off runs, measured in 10 ms steps
            if (def.cadence().isContinuous()) {
                for (int off = 0; off < total; off += 80) {
                    assertTrue(Signals.rms(pcm, off, 80) > expectedPeak * 0.5, what + " silent at " + off);
                }
            } else {
                assertEquals(def.cadence().segmentMs(0), runMs(pcm, 0, true), what + " on");
                assertEquals(def.cadence().segmentMs(1), runMs(pcm, def.cadence().segmentMs(0) * 8, false), what + " off");
            }
        }
    }

    @Test
    void shouldBePhaseContinuousWhateverTheFrameSize() {
        ToneDefinition dial = TonePlan.US.tone(CallProgressTone.DIAL);
        short[] whole = new short[2400];
        new ToneGenerator(dial, CompandingLaw.MULAW).generate(whole, 0, whole.length);
        short[] framed = new short[2400];
        ToneGenerator g = new ToneGenerator(dial, CompandingLaw.MULAW);
        int[] sizes = {80, 160, 7, 320, 1};
        int off = 0;
        for (int k = 0; off < framed.length; k++) {
            int n = Math.min(sizes[k % sizes.length], framed.length - off);
            g.generate(framed, off, n);
            off += n;
        }
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], framed[i], 1, "sample " + i);
        }
    }

    private static int runMs(short[] pcm, int start, boolean on) {
        int i = start;
        while (i < pcm.length && (pcm[i] != 0 || (i + 1 < pcm.length && pcm[i + 1] != 0)) == on) {
            i++;
        }
        return Math.round((i - start) / 8f / 10f) * 10;
    }
}
