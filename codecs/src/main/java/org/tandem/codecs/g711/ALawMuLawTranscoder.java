package org.tandem.codecs.g711;

import java.nio.ByteBuffer;

/**
 * Direct A-law &lt;-&gt; mu-law conversion per ITU-T G.711 Tables 3 and 4, one 256-entry table per
 * direction (see {@link G711Tables} for how they are derived and docs/CODECS.md for why this is not
 * decode-then-encode).
 *
 * <p>Bulk methods take {@code (src, srcOff, dst, dstOff, len)}; they never allocate and keep no
 * state. ByteBuffer variants use absolute indices and accept heap and direct buffers. Source and
 * destination may be the same array at the same offset (in-place conversion).
 */
public final class ALawMuLawTranscoder {
    private static final byte[] A_TO_MU = G711Tables.ALAW_TO_MULAW;
    private static final byte[] MU_TO_A = G711Tables.MULAW_TO_ALAW;

    private ALawMuLawTranscoder() {
    }

    /** Converts one A-law code word to mu-law (G.711 Table 4). */
    public static byte alawToMulaw(byte alaw) {
        return A_TO_MU[alaw & 0xFF];
    }

    /** Converts one mu-law code word to A-law (G.711 Table 3). */
    public static byte mulawToAlaw(byte mulaw) {
        return MU_TO_A[mulaw & 0xFF];
    }

    public static void alawToMulaw(byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        G711Loops.map(A_TO_MU, src, srcOff, dst, dstOff, len);
    }

    public static void mulawToAlaw(byte[] src, int srcOff, byte[] dst, int dstOff, int len) {
        G711Loops.map(MU_TO_A, src, srcOff, dst, dstOff, len);
    }

    public static void alawToMulaw(ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        G711Loops.map(A_TO_MU, src, srcOff, dst, dstOff, len);
    }

    public static void mulawToAlaw(ByteBuffer src, int srcOff, ByteBuffer dst, int dstOff, int len) {
        G711Loops.map(MU_TO_A, src, srcOff, dst, dstOff, len);
    }
}
