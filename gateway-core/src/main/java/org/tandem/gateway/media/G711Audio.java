package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import org.tandem.codecs.g711.ALaw;
import org.tandem.codecs.g711.ALawMuLawTranscoder;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.g711.MuLaw;
import org.tandem.tdm.TdmLaw;

/** Glue between the TDM layer's law and the codecs module; no G.711 arithmetic of its own. */
final class G711Audio {
    private G711Audio() {
    }

    static CompandingLaw companding(TdmLaw law) {
        return law == TdmLaw.MULAW ? CompandingLaw.MULAW : CompandingLaw.ALAW;
    }

    static byte idleCode(TdmLaw law) {
        return law == TdmLaw.MULAW ? MuLaw.IDLE_CODE : ALaw.IDLE_CODE;
    }

    private static final int[] ALAW_MAGNITUDE = buildMagnitudeTable(TdmLaw.ALAW);
    private static final int[] MULAW_MAGNITUDE = buildMagnitudeTable(TdmLaw.MULAW);

    /**
     * |linear| of every code of the law, for the jitter buffer's quiet-slot test: one shared table
     * per law, never written (it was built and copied per call: 2 KB a call, docs/BENCHMARKS.md
     * "Capacity").
     */
    static int[] magnitudeTable(TdmLaw law) {
        return law == TdmLaw.MULAW ? MULAW_MAGNITUDE : ALAW_MAGNITUDE;
    }

    private static int[] buildMagnitudeTable(TdmLaw law) {
        CompandingLaw c = companding(law);
        int[] m = new int[256];
        for (int code = 0; code < 256; code++) {
            m[code] = Math.abs(c.decode((byte) code));
        }
        return m;
    }

    /** Copies {@code len} codes from src to dst, converting between laws when they differ. */
    static void convert(TdmLaw from, byte[] src, int srcOff, TdmLaw to, byte[] dst, int dstOff, int len) {
        if (from == to) {
            System.arraycopy(src, srcOff, dst, dstOff, len);
        } else if (from == TdmLaw.ALAW) {
            ALawMuLawTranscoder.alawToMulaw(src, srcOff, dst, dstOff, len);
        } else {
            ALawMuLawTranscoder.mulawToAlaw(src, srcOff, dst, dstOff, len);
        }
    }

    /** Same as {@link #convert(TdmLaw, byte[], int, TdmLaw, byte[], int, int)} into a buffer at an absolute index. */
    static void convert(TdmLaw from, byte[] src, int srcOff, TdmLaw to, ByteBuffer dst, int dstIndex, int len) {
        if (from == to) {
            dst.put(dstIndex, src, srcOff, len);
        } else {
            for (int i = 0; i < len; i++) {
                byte b = src[srcOff + i];
                dst.put(dstIndex + i, from == TdmLaw.ALAW ? ALawMuLawTranscoder.alawToMulaw(b)
                        : ALawMuLawTranscoder.mulawToAlaw(b));
            }
        }
    }
}
