package org.tandem.codecs.g711;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * ITU-T G.711 A-law (Table 1a) between 16-bit linear samples and 8-bit code words, by table look-up
 * ({@link G711Tables}: a 64 KiB encode table and a 256-entry decode table, built at class load).
 *
 * <p>Bulk methods take {@code (src, srcOff, dst, dstOff, len)}, where {@code len} counts samples.
 * They never allocate, keep no state and may be called from any thread. ByteBuffer variants use
 * absolute indices (positions and limits are neither read nor moved); in a ByteBuffer holding
 * linear audio, an offset is a byte index and samples use the buffer's byte order. Heap and direct
 * buffers are both accepted.
 */
public final class ALaw {
    private static final byte[] ENCODE = G711Tables.LINEAR_TO_ALAW;
    private static final short[] DECODE = G711Tables.ALAW_TO_LINEAR;

    /** Code word sent on an idle channel (G.711 silence: 0xD5, the positive code nearest zero). */
    public static final byte IDLE_CODE = (byte) 0xD5;

    private ALaw() {
    }

    /** Encodes one linear sample. */
    public static byte encode(short sample) {
        return ENCODE[sample & 0xFFFF];
    }

    /** Decodes one code word to its G.711 decoder output value. */
    public static short decode(byte code) {
        return DECODE[code & 0xFF];
    }

    /** Encodes {@code len} samples of {@code src} into {@code len} code words of {@code dst}. */
    public static void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        final byte[] table = ENCODE;
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFFFF];
        }
    }

    /** Decodes {@code len} code words of {@code src} into {@code len} samples of {@code dst}. */
    public static void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        final short[] table = DECODE;
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFF];
        }
    }

    /**
     * Encodes {@code len} samples read from {@code src} at byte index {@code srcOff} (2 bytes per
     * sample, {@code src.order()}) into {@code len} code words written at {@code dstOff}.
     */
    public static void encode(ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, 2 * len, src.limit());
        Objects.checkFromIndexSize(dstOff, len, dst.limit());
        final byte[] table = ENCODE;
        if (dst.hasArray()) {
            byte[] out = dst.array();
            int base = dst.arrayOffset() + dstOff;
            for (int i = 0; i < len; i++) {
                out[base + i] = table[src.getShort(srcOff + 2 * i) & 0xFFFF];
            }
        } else {
            for (int i = 0; i < len; i++) {
                dst.put(dstOff + i, table[src.getShort(srcOff + 2 * i) & 0xFFFF]);
            }
        }
    }

    /**
     * Decodes {@code len} code words read at {@code srcOff} into {@code len} samples written to
     * {@code dst} at byte index {@code dstOff} (2 bytes per sample, {@code dst.order()}).
     */
    public static void decode(ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.limit());
        Objects.checkFromIndexSize(dstOff, 2 * len, dst.limit());
        final short[] table = DECODE;
        if (src.hasArray()) {
            byte[] in = src.array();
            int base = src.arrayOffset() + srcOff;
            for (int i = 0; i < len; i++) {
                dst.putShort(dstOff + 2 * i, table[in[base + i] & 0xFF]);
            }
        } else {
            for (int i = 0; i < len; i++) {
                dst.putShort(dstOff + 2 * i, table[src.get(srcOff + i) & 0xFF]);
            }
        }
    }
}
