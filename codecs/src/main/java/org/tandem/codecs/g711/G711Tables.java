package org.tandem.codecs.g711;

/**
 * The G.711 look-up tables, computed once at class load from the companding laws themselves
 * (ITU-T G.711 Tables 1a/2a and 3/4); nothing here is a pasted table.
 *
 * <p>Linear samples are 16-bit two's complement. A-law works on the 13-bit uniform code of
 * G.711 Table 1a (sample &gt;&gt; 3), mu-law on the 14-bit code of Table 2a (sample &gt;&gt; 2);
 * decoded values are the decoder output values of those tables scaled back to 16 bits.
 */
final class G711Tables {
    /** A-law even-bit inversion (G.711 section 2: "even bits inverted"). */
    static final int ALAW_AMI_MASK = 0x55;
    /** mu-law bias (33 in 14-bit units, 132 in 16-bit units): G.711 Table 2a segment end points. */
    static final int MULAW_BIAS = 0x84;

    /**
     * G.711 section 3: the theoretical maximum load is +3.14 dBm0 for A-law and +3.17 dBm0 for
     * mu-law. A-law full scale is 4096 of its 13-bit code (32768 in 16 bits), mu-law full scale
     * 8159 of its 14-bit code (32636 in 16 bits). A decoded mu-law value m stands for the same
     * level as the A-law value m * MULAW_TO_ALAW_LEVEL.
     */
    static final double ALAW_OVERLOAD_DBM0 = 3.14;
    static final double MULAW_OVERLOAD_DBM0 = 3.17;
    static final double ALAW_FULL_SCALE_16 = 32768.0;
    static final double MULAW_FULL_SCALE_16 = 4.0 * 8159.0;
    static final double MULAW_TO_ALAW_LEVEL = Math.pow(10.0, (MULAW_OVERLOAD_DBM0 - ALAW_OVERLOAD_DBM0) / 20.0)
            * ALAW_FULL_SCALE_16 / MULAW_FULL_SCALE_16;

    /**
     * Indexed by {@code sample & 0xFFFF}. Each law quantises only the uniform code G.711 defines it
     * on (13 bits for A-law, 14 for mu-law), so each value repeats 8 or 4 times; the 64 KiB shape
     * is kept because it measured faster than an 8/16 KiB table indexed by that code (G711Loops).
     */
    static final byte[] LINEAR_TO_ALAW = new byte[65536];
    static final byte[] LINEAR_TO_MULAW = new byte[65536];
    /** Indexed by {@code code & 0xFF}. */
    static final short[] ALAW_TO_LINEAR = new short[256];
    static final short[] MULAW_TO_LINEAR = new short[256];
    static final byte[] ALAW_TO_MULAW = new byte[256];
    static final byte[] MULAW_TO_ALAW = new byte[256];

    static {
        for (int code = 0; code < 256; code++) {
            ALAW_TO_LINEAR[code] = (short) alawDecode(code);
            MULAW_TO_LINEAR[code] = (short) mulawDecode(code);
        }
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            LINEAR_TO_ALAW[s & 0xFFFF] = (byte) alawEncode(s);
            LINEAR_TO_MULAW[s & 0xFFFF] = (byte) mulawEncode(s);
        }
        for (int code = 0; code < 256; code++) {
            ALAW_TO_MULAW[code] = (byte) nearestAtEqualLevel(ALAW_TO_LINEAR[code], (code & 0x80) != 0,
                    MULAW_TO_LINEAR, MULAW_TO_ALAW_LEVEL);
            MULAW_TO_ALAW[code] = (byte) nearestAtEqualLevel(MULAW_TO_LINEAR[code] * MULAW_TO_ALAW_LEVEL,
                    (code & 0x80) != 0, ALAW_TO_LINEAR, 1.0);
        }
    }

    private G711Tables() {
    }

    /** Segment number 0..7 of a magnitude: position of its top bit above bit 7, 8 on overload. */
    private static int segment(int magnitude) {
        return 31 - Integer.numberOfLeadingZeros(magnitude | 0xFF) - 7;
    }

    /**
     * A-law encoder of G.711 Table 1a. Negative samples are taken in one's complement (-s - 1) as
     * G.191 does, which centres the decision values of the 16-bit domain symmetrically.
     */
    static int alawEncode(int sample) {
        int mask = sample >= 0 ? (ALAW_AMI_MASK | 0x80) : ALAW_AMI_MASK;
        int magnitude = sample >= 0 ? sample : -sample - 1;
        int seg = segment(magnitude);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        int quant = (magnitude >> (seg == 0 ? 4 : seg + 3)) & 0x0F;
        return ((seg << 4) | quant) ^ mask;
    }

    /** A-law decoder output value (G.711 Table 1a, column 7), in 16-bit units. */
    static int alawDecode(int code) {
        int c = (code ^ ALAW_AMI_MASK) & 0xFF;
        int seg = (c >> 4) & 0x07;
        int quant = c & 0x0F;
        int magnitude = seg == 0 ? (quant << 4) + 8 : ((quant << 4) + 0x108) << (seg - 1);
        return (c & 0x80) != 0 ? magnitude : -magnitude;
    }

    /**
     * mu-law encoder of G.711 Table 2a: biased magnitude, segment = position of its top bit, four
     * mantissa bits, code word complemented. Negative samples are taken in one's complement
     * ({@code -s - 1}) as G.191's {@code ulaw_compress} does, so the code word depends only on the
     * 14-bit uniform code; spandsp's {@code -s} does not (docs/CODECS.md, "mu-law: G.191, not spandsp").
     */
    static int mulawEncode(int sample) {
        int mask = sample >= 0 ? 0xFF : 0x7F;
        int biased = MULAW_BIAS + (sample >= 0 ? sample : -sample - 1);
        int seg = segment(biased);
        if (seg >= 8) {
            return 0x7F ^ mask;
        }
        return ((seg << 4) | ((biased >> (seg + 3)) & 0x0F)) ^ mask;
    }

    /** mu-law decoder output value (G.711 Table 2a, column 7), in 16-bit units. */
    static int mulawDecode(int code) {
        int c = ~code & 0xFF;
        int seg = (c >> 4) & 0x07;
        int t = (((c & 0x0F) << 3) + MULAW_BIAS) << seg;
        return (c & 0x80) != 0 ? MULAW_BIAS - t : t - MULAW_BIAS;
    }

    /**
     * G.711 Tables 3 and 4 (A-law &lt;-&gt; mu-law): each code word maps to the code word of the other
     * law, of the same sign, whose decoder output value is nearest at equal level in dBm0. This is
     * not decode-then-encode: the encoder's decision values sit at a different place near segment
     * ends, and the two laws' full scales differ (+3.14 vs +3.17 dBm0).
     *
     * @param value           the source decoder output, already in the target comparison scale
     * @param positive        the source sign (mu-law's two zeros keep their sign)
     * @param targetDecode    decoder outputs of the target law
     * @param targetScale     factor taking a target decoder output into the comparison scale
     */
    private static int nearestAtEqualLevel(double value, boolean positive, short[] targetDecode,
                                           double targetScale) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int code = 0; code < 256; code++) {
            if (((code & 0x80) != 0) != positive) {
                continue;
            }
            double distance = Math.abs(targetDecode[code] * targetScale - value);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = code;
            }
        }
        return best;
    }
}
