package org.tandem.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.tandem.codecs.g711.ALaw;
import org.tandem.codecs.g711.ALawMuLawTranscoder;
import org.tandem.codecs.g711.MuLaw;

/**
 * Bulk G.711 over arrays: one operation converts {@code samples} samples (80/160/320 = 10/20/40 ms
 * frames, 65536 = a large block). ns per sample = score / samples.
 */
public class G711Benchmark extends AbstractBenchmark {
    @Param({"80", "160", "320", "65536"})
    public int samples;

    private short[] linear;
    private byte[] alaw;
    private byte[] mulaw;
    private byte[] out;
    private short[] decoded;

    @Setup
    public void setUp() {
        linear = new short[samples];
        fillSamples(linear);
        alaw = new byte[samples];
        mulaw = new byte[samples];
        ALaw.encode(linear, 0, alaw, 0, samples);
        MuLaw.encode(linear, 0, mulaw, 0, samples);
        out = new byte[samples];
        decoded = new short[samples];
    }

    @Benchmark
    public byte[] linearToAlaw() {
        ALaw.encode(linear, 0, out, 0, samples);
        return out;
    }

    @Benchmark
    public byte[] linearToMulaw() {
        MuLaw.encode(linear, 0, out, 0, samples);
        return out;
    }

    @Benchmark
    public short[] alawToLinear() {
        ALaw.decode(alaw, 0, decoded, 0, samples);
        return decoded;
    }

    @Benchmark
    public short[] mulawToLinear() {
        MuLaw.decode(mulaw, 0, decoded, 0, samples);
        return decoded;
    }

    @Benchmark
    public byte[] alawToMulaw() {
        ALawMuLawTranscoder.alawToMulaw(alaw, 0, out, 0, samples);
        return out;
    }

    @Benchmark
    public byte[] mulawToAlaw() {
        ALawMuLawTranscoder.mulawToAlaw(mulaw, 0, out, 0, samples);
        return out;
    }
}
