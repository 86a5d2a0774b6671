package org.tandem.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.tandem.codecs.g711.ALaw;

/**
 * Loop shapes for linear -> A-law, measured side by side in one JVM to choose the one the codec
 * uses (docs/BENCHMARKS.md, "Loop shapes"). Each builds its table from {@link ALaw#encode(short)}
 * and produces the same code words; {@link #product} is the codec's own bulk method.
 */
public class G711LoopShapesBenchmark extends AbstractBenchmark {
    @Param({"160", "65536"})
    public int samples;

    private short[] linear;
    private byte[] out;
    /** Indexed by the whole sample, {@code s & 0xFFFF}: 64 KiB. */
    private static final byte[] FULL = new byte[65536];
    /** Indexed by the 13-bit uniform code, {@code (s >> 3) & 0x1FFF}: 8 KiB. */
    private static final byte[] CODE13 = new byte[8192];

    static {
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            FULL[s & 0xFFFF] = ALaw.encode((short) s);
            CODE13[(s >> 3) & 0x1FFF] = ALaw.encode((short) s);
        }
    }

    @Setup
    public void setUp() {
        linear = new short[samples];
        fillSamples(linear);
        out = new byte[samples];
        byte[] expected = product().clone();
        for (byte[] got : new byte[][] {fullTable().clone(), uniformCodeTable().clone(),
            uniformCodeTableUnsigned().clone(), computed().clone()}) {
            if (!java.util.Arrays.equals(expected, got)) {
                throw new IllegalStateException("a loop shape disagrees with ALaw.encode");
            }
        }
    }

    @Benchmark
    public byte[] product() {
        ALaw.encode(linear, 0, out, 0, samples);
        return out;
    }

    @Benchmark
    public byte[] fullTable() {
        final short[] src = linear;
        final byte[] dst = out;
        for (int i = 0; i < samples; i++) {
            dst[i] = FULL[src[i] & 0xFFFF];
        }
        return dst;
    }

    @Benchmark
    public byte[] uniformCodeTable() {
        final short[] src = linear;
        final byte[] dst = out;
        for (int i = 0; i < samples; i++) {
            dst[i] = CODE13[(src[i] >> 3) & 0x1FFF];
        }
        return dst;
    }

    /** The same 8 KiB table, indexed through an unsigned 16-bit load and one shift. */
    @Benchmark
    public byte[] uniformCodeTableUnsigned() {
        final short[] src = linear;
        final byte[] dst = out;
        for (int i = 0; i < samples; i++) {
            dst[i] = CODE13[(src[i] & 0xFFFF) >>> 3];
        }
        return dst;
    }

    /** No table: segment from the leading-zero count, as G.711 Table 1a defines it. */
    @Benchmark
    public byte[] computed() {
        final short[] src = linear;
        final byte[] dst = out;
        for (int i = 0; i < samples; i++) {
            int s = src[i];
            int sign = s >> 31;                         // 0 or -1
            int magnitude = (s ^ sign) >> 3;            // one's complement for negatives, 13-bit code
            int seg = 27 - Integer.numberOfLeadingZeros(magnitude | 0x1F); // 0..7
            int quant = (magnitude >> Math.max(seg, 1)) & 0x0F;
            dst[i] = (byte) (((seg << 4) | quant) ^ (0x55 | (~sign & 0x80)));
        }
        return dst;
    }
}
