package org.tandem.codecs.g711;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Every G.711 path, on every input, against spandsp (an independent implementation, run as a C
 * program). Never compared with this module's own tables.
 */
class G711ReferenceTest {
    private static final int OFFSET = 7;
    /** G.191's mu-law encoder, from spandsp's quantiser (docs/CODECS.md, "mu-law: G.191, not spandsp"). */
    private static final String MULAW_ENCODE = "linear_to_ulaw_g191";

    private static short[] allLinearValues() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i - 32768);
        }
        return all;
    }

    private static byte[] allCodes() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        return all;
    }

    @Test
    void shouldEncodeEveryLinearValueToAlawAsSpandspDoes() {
        int[] ref = SpandspReference.table("linear_to_alaw");
        for (int i = 0; i < 65536; i++) {
            assertEquals(ref[i], ALaw.encode((short) (i - 32768)) & 0xFF, "A-law encode of " + (i - 32768));
        }
    }

    @Test
    void shouldEncodeEveryLinearValueToMulawAsG191Does() {
        int[] ref = SpandspReference.table(MULAW_ENCODE);
        for (int i = 0; i < 65536; i++) {
            assertEquals(ref[i], MuLaw.encode((short) (i - 32768)) & 0xFF, "mu-law encode of " + (i - 32768));
        }
    }

    @Test
    void shouldDifferFromSpandspMulawOnlyOnNegativeDecisionValuesWhichItCodesOneStepLouder() {
        int[] spandsp = SpandspReference.table("linear_to_ulaw");
        int differences = 0;
        for (int i = 0; i < 65536; i++) {
            short s = (short) (i - 32768);
            byte ours = MuLaw.encode(s);
            if ((ours & 0xFF) != spandsp[i]) {
                differences++;
                assertTrue(s < 0, "differs on a non-negative sample " + s);
                // Negative mu-law codes count down as the magnitude grows: one step louder is one less.
                assertEquals(spandsp[i] + 1, ours & 0xFF, "spandsp codes " + s + " one step louder");
                assertEquals(s & ~3, s, s + " is not on the 14-bit grid");
            }
        }
        assertEquals(127, differences, "samples where G.191 and spandsp disagree");
    }

    @Test
    void shouldDecodeEveryAlawCodeAsSpandspDoes() {
        int[] ref = SpandspReference.table("alaw_to_linear");
        for (int c = 0; c < 256; c++) {
            assertEquals(ref[c], ALaw.decode((byte) c), "A-law decode of code " + c);
        }
    }

    @Test
    void shouldDecodeEveryMulawCodeAsSpandspDoes() {
        int[] ref = SpandspReference.table("ulaw_to_linear");
        for (int c = 0; c < 256; c++) {
            assertEquals(ref[c], MuLaw.decode((byte) c), "mu-law decode of code " + c);
        }
    }

    @Test
    void shouldConvertEveryAlawCodeToMulawAsSpandspDoes() {
        int[] ref = SpandspReference.table("alaw_to_ulaw");
        for (int c = 0; c < 256; c++) {
            assertEquals(ref[c], ALawMuLawTranscoder.alawToMulaw((byte) c) & 0xFF, "A->mu of code " + c);
        }
    }

    @Test
    void shouldConvertEveryMulawCodeToAlawAsSpandspDoes() {
        int[] ref = SpandspReference.table("ulaw_to_alaw");
        for (int c = 0; c < 256; c++) {
            assertEquals(ref[c], ALawMuLawTranscoder.mulawToAlaw((byte) c) & 0xFF, "mu->A of code " + c);
        }
    }

    @Test
    void shouldEncodeEveryLinearValueInBulkArraysAsSpandspDoes() {
        short[] src = new short[65536 + OFFSET];
        System.arraycopy(allLinearValues(), 0, src, OFFSET, 65536);
        byte[] dst = new byte[65536 + 2 * OFFSET];
        ALaw.encode(src, OFFSET, dst, 2 * OFFSET, 65536);
        assertCodes(SpandspReference.table("linear_to_alaw"), dst, 2 * OFFSET, "bulk A-law encode");
        MuLaw.encode(src, OFFSET, dst, 2 * OFFSET, 65536);
        assertCodes(SpandspReference.table(MULAW_ENCODE), dst, 2 * OFFSET, "bulk mu-law encode");
    }

    @Test
    void shouldDecodeEveryCodeInBulkArraysAsSpandspDoes() {
        byte[] src = new byte[256 + OFFSET];
        System.arraycopy(allCodes(), 0, src, OFFSET, 256);
        short[] dst = new short[256 + 3];
        ALaw.decode(src, OFFSET, dst, 3, 256);
        assertSamples(SpandspReference.table("alaw_to_linear"), dst, 3, "bulk A-law decode");
        MuLaw.decode(src, OFFSET, dst, 3, 256);
        assertSamples(SpandspReference.table("ulaw_to_linear"), dst, 3, "bulk mu-law decode");
    }

    @Test
    void shouldTranscodeEveryCodeInBulkArraysAsSpandspDoes() {
        byte[] src = new byte[256 + OFFSET];
        System.arraycopy(allCodes(), 0, src, OFFSET, 256);
        byte[] dst = new byte[256 + 1];
        ALawMuLawTranscoder.alawToMulaw(src, OFFSET, dst, 1, 256);
        assertCodes(SpandspReference.table("alaw_to_ulaw"), dst, 1, "bulk A->mu");
        ALawMuLawTranscoder.mulawToAlaw(src, OFFSET, dst, 1, 256);
        assertCodes(SpandspReference.table("ulaw_to_alaw"), dst, 1, "bulk mu->A");
    }

    @Test
    void shouldTranscodeInPlace() {
        byte[] buf = allCodes();
        ALawMuLawTranscoder.alawToMulaw(buf, 0, buf, 0, 256);
        assertCodes(SpandspReference.table("alaw_to_ulaw"), buf, 0, "in-place A->mu");
    }

    @Test
    void shouldEncodeAndDecodeThroughHeapAndDirectBuffersInBothByteOrdersAsSpandspDoes() {
        for (boolean direct : new boolean[] {false, true}) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                String how = (direct ? "direct " : "heap ") + order;
                ByteBuffer linear = buffer(direct, 2 * 65536 + 2 * OFFSET).order(order);
                short[] all = allLinearValues();
                for (int i = 0; i < 65536; i++) {
                    linear.putShort(2 * OFFSET + 2 * i, all[i]);
                }
                ByteBuffer codes = buffer(direct, 65536 + OFFSET);
                ALaw.encode(linear, 2 * OFFSET, codes, OFFSET, 65536);
                assertCodes(SpandspReference.table("linear_to_alaw"), codes, OFFSET, how + " A-law encode");
                MuLaw.encode(linear, 2 * OFFSET, codes, OFFSET, 65536);
                assertCodes(SpandspReference.table(MULAW_ENCODE), codes, OFFSET, how + " mu-law encode");

                ByteBuffer in = buffer(direct, 256 + OFFSET);
                for (int c = 0; c < 256; c++) {
                    in.put(OFFSET + c, (byte) c);
                }
                ByteBuffer out = buffer(direct, 2 * 256 + 2).order(order);
                ALaw.decode(in, OFFSET, out, 2, 256);
                for (int c = 0; c < 256; c++) {
                    assertEquals(SpandspReference.table("alaw_to_linear")[c], out.getShort(2 + 2 * c), how + " A-law decode " + c);
                }
                MuLaw.decode(in, OFFSET, out, 2, 256);
                for (int c = 0; c < 256; c++) {
                    assertEquals(SpandspReference.table("ulaw_to_linear")[c], out.getShort(2 + 2 * c), how + " mu-law decode " + c);
                }
                ByteBuffer transcoded = buffer(direct, 256);
                ALawMuLawTranscoder.alawToMulaw(in, OFFSET, transcoded, 0, 256);
                assertCodes(SpandspReference.table("alaw_to_ulaw"), transcoded, 0, how + " A->mu");
                ALawMuLawTranscoder.mulawToAlaw(in, OFFSET, transcoded, 0, 256);
                assertCodes(SpandspReference.table("ulaw_to_alaw"), transcoded, 0, how + " mu->A");
            }
        }
    }

    private static ByteBuffer buffer(boolean direct, int size) {
        return direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    private static void assertCodes(int[] ref, byte[] actual, int off, String what) {
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], actual[off + i] & 0xFF, what + " at input index " + i);
        }
    }

    private static void assertCodes(int[] ref, ByteBuffer actual, int off, String what) {
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], actual.get(off + i) & 0xFF, what + " at input index " + i);
        }
    }

    private static void assertSamples(int[] ref, short[] actual, int off, String what) {
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], actual[off + i], what + " of code " + i);
        }
    }
}
