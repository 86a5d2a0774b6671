package org.tandem.codecs.g711;

import java.nio.ByteBuffer;

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
        G711Loops.encode(ENCODE, src, srcOff, dst, dstOff, len);
    }

    /** Decodes {@code len} code words of {@code src} into {@code len} samples of {@code dst}. */
    public static void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        G711Loops.decode(DECODE, src, srcOff, dst, dstOff, len);
    }

    /**
     * Encodes {@code len} samples read from {@code src} at byte index {@code srcOff} (2 bytes per
     * sample, {@code src.order()}) into {@code len} code words written at {@code dstOff}.
     */
    public static void encode(ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        G711Loops.encode(ENCODE, src, srcOff, dst, dstOff, len);
    }

    /**
     * Decodes {@code len} code words read at {@code srcOff} into {@code len} samples written to
     * {@code dst} at byte index {@code dstOff} (2 bytes per sample, {@code dst.order()}).
     */
    public static void decode(ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        G711Loops.decode(DECODE, src, srcOff, dst, dstOff, len);
    }
}
