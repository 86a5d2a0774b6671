package org.tandem.codecs.g711;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Properties G.711 states in prose, checked independently of any reference implementation. */
class G711PropertiesTest {

    @Test
    void shouldDecodeAlawFullScaleAndSmallestStepAsG711Table1aStates() {
        // Table 1a: largest decoder output 4032 of 4096 (x8 in 16 bits), smallest 1 (x8).
        assertEquals(4032 * 8, ALaw.decode((byte) 0xAA));
        assertEquals(-4032 * 8, ALaw.decode((byte) 0x2A));
        assertEquals(8, ALaw.decode(ALaw.IDLE_CODE));
    }

    @Test
    void shouldDecodeMulawFullScaleAndZerosAsG711Table2aStates() {
        // Table 2a: largest decoder output 8031 of 8159 (x4 in 16 bits); 0xFF and 0x7F are +0 and -0.
        assertEquals(8031 * 4, MuLaw.decode((byte) 0x80));
        assertEquals(-8031 * 4, MuLaw.decode((byte) 0x00));
        assertEquals(0, MuLaw.decode(MuLaw.IDLE_CODE));
        assertEquals(0, MuLaw.decode((byte) 0x7F));
    }

    @Test
    void shouldEncodeOnlyTheUniformCodeG711DefinesEachLawOn() {
        // Table 1a quantises a 13-bit code (16-bit sample >> 3), Table 2a a 14-bit code (>> 2):
        // the bits below must not change the code word, for negative samples too.
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            assertEquals(ALaw.encode((short) (s & ~7)), ALaw.encode((short) s), "A-law encode of " + s);
            assertEquals(MuLaw.encode((short) (s & ~3)), MuLaw.encode((short) s), "mu-law encode of " + s);
        }
    }

    @Test
    void shouldReproduceEveryDecodedValueWhenReencoded() {
        for (int c = 0; c < 256; c++) {
            assertEquals((byte) c, ALaw.encode(ALaw.decode((byte) c)), "A-law code " + c);
            if (c != 0x7F) { // -0 re-encodes as +0
                assertEquals((byte) c, MuLaw.encode(MuLaw.decode((byte) c)), "mu-law code " + c);
            }
        }
    }

    @Test
    void shouldKeepTheSignWhenTranscoding() {
        for (int c = 0; c < 256; c++) {
            assertEquals(c & 0x80, ALawMuLawTranscoder.alawToMulaw((byte) c) & 0x80, "A->mu sign of " + c);
            assertEquals(c & 0x80, ALawMuLawTranscoder.mulawToAlaw((byte) c) & 0x80, "mu->A sign of " + c);
        }
    }

    @Test
    void shouldDifferFromDecodeThenEncodeForSomeCodesAsG711TablesDo() {
        int aToMu = 0;
        int muToA = 0;
        for (int c = 0; c < 256; c++) {
            if (ALawMuLawTranscoder.alawToMulaw((byte) c) != MuLaw.encode(ALaw.decode((byte) c))) {
                aToMu++;
            }
            if (ALawMuLawTranscoder.mulawToAlaw((byte) c) != ALaw.encode(MuLaw.decode((byte) c))) {
                muToA++;
            }
        }
        assertEquals(32, aToMu, "A->mu codes that differ from decode-then-encode");
        assertEquals(44, muToA, "mu->A codes that differ from decode-then-encode");
    }

    @Test
    void shouldChangeEachSampleByLessThanOneStepOfEitherLawWhenTranscoding() {
        for (int c = 0; c < 256; c++) {
            int a = ALaw.decode((byte) c);
            int mu = MuLaw.decode(ALawMuLawTranscoder.alawToMulaw((byte) c));
            assertTrue(Math.abs(a - mu) <= Math.max(256, Math.abs(a) / 16), "A->mu of " + c + ": " + a + " -> " + mu);
        }
    }

    @Test
    void shouldRejectRangesOutsideTheArrays() {
        short[] pcm = new short[160];
        byte[] codes = new byte[160];
        assertThrows(IndexOutOfBoundsException.class, () -> ALaw.encode(pcm, 1, codes, 0, 160));
        assertThrows(IndexOutOfBoundsException.class, () -> MuLaw.decode(codes, 0, pcm, 1, 160));
        assertThrows(IndexOutOfBoundsException.class, () -> ALawMuLawTranscoder.alawToMulaw(codes, 0, codes, -1, 10));
    }
}
