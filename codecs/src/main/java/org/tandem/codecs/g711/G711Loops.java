package org.tandem.codecs.g711;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The table loops behind every bulk method of {@link ALaw}, {@link MuLaw} and
 * {@link ALawMuLawTranscoder}: one table load and one store per sample, nothing allocated.
 *
 * <p>Encode tables have 65,536 entries indexed by {@code sample & 0xFFFF}: an unsigned 16-bit load
 * used directly as the index. That shape measured about 40% faster under C2 than an 8 or 16 KiB
 * table indexed by the uniform code ({@code (sample & 0xFFFF) >>> 3}), although the smaller table
 * stays in L1 (docs/BENCHMARKS.md, "Loop shapes"). The public classes pass their
 * {@code static final} tables, so once the JIT inlines a loop the table is a constant. ByteBuffer loops use absolute indices (position and limit are
 * neither read nor moved); linear audio in a ByteBuffer is 2 bytes per sample in the buffer's order,
 * and its offsets are byte indices.
 */
final class G711Loops {
    private G711Loops() {
    }

    static void encode(byte[] table, short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFFFF];
        }
    }

    static void encode(byte[] table, ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, 2 * len, src.limit());
        Objects.checkFromIndexSize(dstOff, len, dst.limit());
        for (int i = 0; i < len; i++) {
            dst.put(dstOff + i, table[src.getShort(srcOff + 2 * i) & 0xFFFF]);
        }
    }

    static void decode(short[] table, byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFF];
        }
    }

    static void decode(short[] table, ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, 2 * len, dst.limit());
        for (int i = 0; i < len; i++) {
            dst.putShort(dstOff + 2 * i, table[src.get(srcOff + i) & 0xFF]);
        }
    }

    /** Code word to code word; {@code src} and {@code dst} may be the same array at the same offset. */
    static void map(byte[] table, byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFF];
        }
    }

    static void map(byte[] table, ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, len, dst.limit());
        for (int i = 0; i < len; i++) {
            dst.put(dstOff + i, table[src.get(srcOff + i) & 0xFF]);
        }
    }
}
