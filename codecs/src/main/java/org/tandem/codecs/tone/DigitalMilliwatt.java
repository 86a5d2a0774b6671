package org.tandem.codecs.tone;

import java.util.Objects;
import org.tandem.codecs.g711.CompandingLaw;

/**
 * Test tones at 0 dBm0.
 *
 * <p>The digital milliwatt of G.711 Tables 5 (mu-law) and 6 (A-law) is an 8-code-word sequence,
 * repeated: one period of a 1000 Hz sine at 0 dBm0 sampled at phases pi/8 + k pi/4, starting in the
 * negative half-wave. It is computed here from the law rather than copied (it comes out as
 * {@code 1E 0B 0B 1E 9E 8B 8B 9E} for mu-law and {@code 34 21 21 34 B4 A1 A1 B4} for A-law).
 *
 * <p>Test lines ("milliwatt" numbers) commonly send 1004 Hz instead, which is not a sub-multiple of
 * 8 kHz and so exercises every code word over time; {@link #testTone1004Hz} generates it.
 */
public final class DigitalMilliwatt {
    /** Period of the G.711 digital milliwatt sequence, in samples (1 kHz at 8 kHz). */
    public static final int SEQUENCE_LENGTH = 8;

    private final byte[] sequence = new byte[SEQUENCE_LENGTH];
    private int index;

    public DigitalMilliwatt(CompandingLaw law) {
        double peak = law.zeroDbm0Peak();
        for (int k = 0; k < SEQUENCE_LENGTH; k++) {
            double phase = Math.PI + Math.PI / 8 + k * Math.PI / 4;
            sequence[k] = law.encode((short) Math.round(peak * Math.sin(phase)));
        }
    }

    /** Code word {@code k} (0..7) of the sequence. */
    public byte codeWord(int k) {
        return sequence[k];
    }

    /** Writes the next {@code len} code words of the repeating sequence. Allocation-free. */
    public void fill(byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = sequence[index];
            index = (index + 1) & (SEQUENCE_LENGTH - 1);
        }
    }

    /** A continuous 1004 Hz sine at 0 dBm0 for {@code law}. */
    public static ToneGenerator testTone1004Hz(CompandingLaw law) {
        return new ToneGenerator(new ToneDefinition(1004, 0, 0.0, Cadence.CONTINUOUS), law);
    }
}
