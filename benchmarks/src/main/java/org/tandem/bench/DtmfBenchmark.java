package org.tandem.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;
import org.tandem.codecs.dtmf.DtmfDetector;
import org.tandem.codecs.dtmf.DtmfGenerator;
import org.tandem.codecs.dtmf.DtmfListener;
import org.tandem.codecs.g711.CompandingLaw;

/**
 * DTMF detection cost per 20 ms frame (160 samples) of one channel, on a stream of digits and
 * pauses (the detector reports starts and ends as it runs). Linear input and A-law input.
 */
public class DtmfBenchmark extends AbstractBenchmark {
    private static final int FRAME = 160;
    private static final int FRAMES = 500; // 10 s of audio, cycled

    private short[] pcm;
    private byte[] alaw;
    private DtmfDetector detector;
    private DtmfDetector alawDetector;
    private int frame;
    private long digits;

    @Setup
    public void setUp() {
        pcm = new short[FRAMES * FRAME];
        DtmfGenerator g = new DtmfGenerator(CompandingLaw.ALAW);
        String keys = "0123456789*#ABCD";
        for (int off = 0, k = 0; off + 800 <= pcm.length; off += 800, k++) { // 60 ms tone, 40 ms pause
            g.start(keys.charAt(k % keys.length()), 60, -10, 2);
            g.generate(pcm, off, 800);
        }
        alaw = new byte[pcm.length];
        CompandingLaw.ALAW.encode(pcm, 0, alaw, 0, pcm.length);
        DtmfListener counter = new DtmfListener() {
            @Override
            public void onDigitStart(char digit, long startSample) {
                digits++;
            }

            @Override
            public void onDigitEnd(char digit, long startSample, long endSample) {
            }
        };
        detector = new DtmfDetector(counter, CompandingLaw.ALAW);
        alawDetector = new DtmfDetector(counter, CompandingLaw.ALAW);
    }

    @Benchmark
    public void detectLinearFrame(Blackhole bh) {
        detector.process(pcm, frame * FRAME, FRAME);
        frame = frame + 1 == FRAMES ? 0 : frame + 1;
        bh.consume(digits);
    }

    @Benchmark
    public void detectAlawFrame(Blackhole bh) {
        alawDetector.process(CompandingLaw.ALAW, alaw, frame * FRAME, FRAME);
        frame = frame + 1 == FRAMES ? 0 : frame + 1;
        bh.consume(digits);
    }
}
