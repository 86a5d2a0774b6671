package org.tandem.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.tandem.codecs.g711.ALaw;
import org.tandem.codecs.g711.ALawMuLawTranscoder;
import org.tandem.codecs.g711.MuLaw;

/**
 * Bulk G.711: one operation converts {@code samples} samples (80/160/320 = 10/20/40 ms frames,
 * 65536 = a large block). ns per sample = score / samples. Arrays, plus the linear -> A-law path
 * over heap and direct ByteBuffers in native byte order (linear audio as it comes from a socket
 * or a TDM read), to compare reading shorts from a buffer with reading a short[].
 */
public class G711Benchmark extends AbstractBenchmark {
    @Param({"80", "160", "320", "65536"})
    public int samples;

    private short[] linear;
    private byte[] alaw;
    private byte[] mulaw;
    private byte[] out;
    private short[] decoded;
    private ByteBuffer heapLinear;
    private ByteBuffer directLinear;
    private ByteBuffer heapOut;
    private ByteBuffer directOut;

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
        heapLinear = ByteBuffer.allocate(2 * samples).order(ByteOrder.nativeOrder());
        directLinear = ByteBuffer.allocateDirect(2 * samples).order(ByteOrder.nativeOrder());
        heapLinear.asShortBuffer().put(linear);
        directLinear.asShortBuffer().put(linear);
        heapOut = ByteBuffer.allocate(samples);
        directOut = ByteBuffer.allocateDirect(samples);
    }

    @Benchmark
    public ByteBuffer linearToAlawHeapBuffer() {
        ALaw.encode(heapLinear, 0, heapOut, 0, samples);
        return heapOut;
    }

    @Benchmark
    public ByteBuffer linearToAlawDirectBuffer() {
        ALaw.encode(directLinear, 0, directOut, 0, samples);
        return directOut;
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
