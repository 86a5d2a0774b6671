package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.tandem.codecs.dtmf.DtmfDetector;
import org.tandem.codecs.dtmf.DtmfGenerator;
import org.tandem.codecs.dtmf.DtmfListener;
import org.tandem.codecs.g711.ALaw;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.tone.DigitalMilliwatt;
import org.tandem.codecs.tone.ToneGenerator;
import org.tandem.tdm.sim.SimFarEnd;

/** The far side of the simulated span: a test line per B-channel, run on the card's clock thread. */
final class ScriptedFarEnd implements SimFarEnd {
    static final int BLOCK = 160;

    interface Line {
        void exchange(long tick, ByteBuffer fromGateway, ByteBuffer toGateway);
    }

    private final Line[] lines = new Line[32];
    private final long[] ticks = new long[32];

    void line(int chanpos, Line line) {
        lines[chanpos] = line;
    }

    @Override
    public void exchangeBlock(int chanpos, ByteBuffer fromGateway, ByteBuffer toGateway) {
        Line line = lines[chanpos];
        if (line == null) {
            for (int i = 0; i < BLOCK; i++) {
                toGateway.put(i, ALaw.IDLE_CODE);
            }
            return;
        }
        line.exchange(ticks[chanpos]++, fromGateway, toGateway);
    }

    /** Loop-around test line: returns what it receives. */
    static final class LoopAround implements Line {
        @Override
        public void exchange(long tick, ByteBuffer from, ByteBuffer to) {
            for (int i = 0; i < BLOCK; i++) {
                to.put(i, from.get(i));
            }
        }
    }

    /** Sends the 1004 Hz 0 dBm0 test tone (codecs' generator). */
    static final class TestTone implements Line {
        private final ToneGenerator tone = DigitalMilliwatt.testTone1004Hz(CompandingLaw.ALAW);
        private final byte[] block = new byte[BLOCK];
        private final short[] scratch = new short[BLOCK];

        @Override
        public void exchange(long tick, ByteBuffer from, ByteBuffer to) {
            tone.generate(CompandingLaw.ALAW, block, 0, BLOCK, scratch);
            to.put(0, block);
        }
    }

    /**
     * A subscriber who talks (a steady 1004 Hz tone at -10 dBm0 would be a detector's friend; this
     * is a sweep of two non-DTMF tones) and presses digits at scheduled ticks, and listens for
     * digits in what the gateway sends.
     */
    static final class KeypadLine implements Line, DtmfListener {
        record Digit(char digit, int durationMs) {
        }

        private final String digits;
        private final long firstTick;
        private final long everyTicks;
        private final int toneMs;
        private final DtmfGenerator generator = new DtmfGenerator(CompandingLaw.ALAW);
        private final DtmfDetector detector = new DtmfDetector(this, CompandingLaw.ALAW);
        private final ToneGenerator talk = DigitalMilliwatt.testTone1004Hz(CompandingLaw.ALAW);
        private final byte[] block = new byte[BLOCK];
        private final byte[] heard = new byte[BLOCK];
        private final short[] scratch = new short[BLOCK];
        final ConcurrentLinkedQueue<Digit> detected = new ConcurrentLinkedQueue<>();

        KeypadLine(String digits, long firstTick, long everyTicks, int toneMs) {
            this.digits = digits;
            this.firstTick = firstTick;
            this.everyTicks = everyTicks;
            this.toneMs = toneMs;
        }

        @Override
        public void exchange(long tick, ByteBuffer from, ByteBuffer to) {
            long k = tick - firstTick;
            if (k >= 0 && k % everyTicks == 0 && k / everyTicks < digits.length()) {
                generator.start(digits.charAt((int) (k / everyTicks)), toneMs, -8, 2);
            }
            if (generator.remainingSamples() > 0) {
                generator.generate(block, 0, BLOCK, scratch);
            } else {
                talk.generate(CompandingLaw.ALAW, block, 0, BLOCK, scratch);
                for (int i = 0; i < BLOCK; i++) {
                    // talk quietly: -20 dB under the test tone
                    block[i] = ALaw.encode((short) (ALaw.decode(block[i]) / 10));
                }
            }
            to.put(0, block);
            from.get(0, heard);
            detector.process(CompandingLaw.ALAW, heard, 0, BLOCK);
        }

        @Override
        public void onDigitStart(char digit, long startSample) {
        }

        @Override
        public void onDigitEnd(char digit, long startSample, long endSample) {
            detected.add(new Digit(digit, (int) ((endSample - startSample) / 8)));
        }
    }

    /**
     * Reads the packet index the RTP peer stamped into every 10 ms slot ({@link #stamp}) from the
     * blocks the gateway writes, to measure the one-way delay in ticks, block by block.
     */
    static final class IndexProbe implements Line {
        static final byte SIGNATURE = (byte) 0x2B;
        final long[] tickOfSample = new long[20_000];
        final int[] indexOfSample = new int[20_000];
        volatile int samples;
        volatile long lastTick;

        @Override
        public void exchange(long tick, ByteBuffer from, ByteBuffer to) {
            lastTick = tick;
            for (int off = 0; off < BLOCK; off += 80) {
                if (from.get(off) == SIGNATURE && from.get(off + 3) == SIGNATURE && samples < tickOfSample.length) {
                    int index = (from.get(off + 1) & 0xFF) | (from.get(off + 2) & 0xFF) << 8;
                    tickOfSample[samples] = tick;
                    indexOfSample[samples] = index;
                    samples++;
                }
            }
            for (int i = 0; i < BLOCK; i++) {
                to.put(i, ALaw.IDLE_CODE);
            }
        }

        /** A 20 ms A-law payload carrying {@code index} in both of its 10 ms slots. */
        static byte[] stamp(int index) {
            byte[] p = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                p[i] = (byte) 0xAA;
            }
            for (int off = 0; off < BLOCK; off += 80) {
                p[off] = SIGNATURE;
                p[off + 1] = (byte) index;
                p[off + 2] = (byte) (index >> 8);
                p[off + 3] = SIGNATURE;
            }
            return p;
        }
    }
}
