package org.tandem.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.tandem.codecs.g711.ALaw;
import org.tandem.codecs.g711.ALawMuLawTranscoder;
import org.tandem.codecs.g711.MuLaw;
import org.tandem.tdm.TdmLaw;

/** The block rings of a {@link TdmBridge}, driven by hand from one thread (order, bounds, laws). */
class TdmBridgeTest {
    private static ByteBuffer block(int size, int fill) {
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) (fill + i));
        }
        return b;
    }

    @Test
    void shouldHandEachBlockAcrossInOrderBothWays() {
        TdmBridge bridge = new TdmBridge(160, TdmLaw.ALAW, 160, TdmLaw.ALAW);
        ByteBuffer out = ByteBuffer.allocateDirect(160);
        bridge.aToB.offer(block(160, 1), 160);
        bridge.aToB.offer(block(160, 2), 160);
        bridge.bToA.offer(block(160, 9), 160);
        bridge.aToB.poll(out);
        assertEquals((byte) 1, out.get(0));
        assertEquals((byte) (1 + 159), out.get(159));
        bridge.aToB.poll(out);
        assertEquals((byte) 2, out.get(0));
        bridge.bToA.poll(out);
        assertEquals((byte) 9, out.get(0));
        assertEquals(0, bridge.aToB.underruns());
    }

    @Test
    void shouldWriteIdleWhenEmptyAndSkipTheOldestWhenTooFarBehind() {
        TdmBridge bridge = new TdmBridge(160, TdmLaw.ALAW, 160, TdmLaw.ALAW);
        ByteBuffer out = ByteBuffer.allocateDirect(160);
        bridge.aToB.poll(out);
        assertEquals(ALaw.IDLE_CODE, out.get(0));
        assertEquals(1, bridge.aToB.underruns());
        for (int k = 0; k < 5; k++) {
            bridge.aToB.offer(block(160, 10 * k), 160);
        }
        bridge.aToB.poll(out); // 5 waiting, at most MAX_DELAY_BLOCKS kept: the first 3 are skipped
        assertEquals((byte) (10 * (5 - TdmBridge.MAX_DELAY_BLOCKS)), out.get(0));
        assertEquals(5 - TdmBridge.MAX_DELAY_BLOCKS, bridge.aToB.dropped());
        for (int k = 0; k < TdmBridge.SLOTS + 3; k++) {
            bridge.bToA.offer(block(160, k), 160);
        }
        assertEquals(3, bridge.bToA.dropped(), "a full ring drops what does not fit");
    }

    @Test
    void shouldConvertBetweenTheLawsOfTwoSpans() {
        TdmBridge bridge = new TdmBridge(160, TdmLaw.ALAW, 160, TdmLaw.MULAW);
        ByteBuffer out = ByteBuffer.allocateDirect(160);
        ByteBuffer a = block(160, 0x55);
        bridge.aToB.offer(a, 160);
        bridge.aToB.poll(out);
        for (int i = 0; i < 160; i++) {
            assertEquals(ALawMuLawTranscoder.alawToMulaw(a.get(i)), out.get(i));
        }
        bridge.aToB.poll(out);
        assertEquals(MuLaw.IDLE_CODE, out.get(0), "idle in the writing channel's law");
    }

    @Test
    void shouldAllocateNothingPerBlockOnceWarm() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        TdmBridge bridge = new TdmBridge(160, TdmLaw.ALAW, 160, TdmLaw.MULAW);
        ByteBuffer in = block(160, 3);
        ByteBuffer out = ByteBuffer.allocateDirect(160);
        long sum = blocks(bridge, in, out, 2_000); // warm-up: JIT, class init
        long before = mx.getThreadAllocatedBytes(tid);
        sum += blocks(bridge, in, out, 2_000);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(0, allocated, "bytes allocated for 2000 blocks each way (sum " + sum + ")");
    }

    /** Both directions, with the law conversion, an underrun every 10th block and a skip every 7th. */
    private static long blocks(TdmBridge bridge, ByteBuffer in, ByteBuffer out, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            if (i % 10 != 0) {
                bridge.aToB.offer(in, 160);
                bridge.bToA.offer(in, 160);
            }
            if (i % 7 == 0) {
                bridge.aToB.offer(in, 160);
                bridge.aToB.offer(in, 160);
                bridge.aToB.offer(in, 160);
            }
            bridge.aToB.poll(out);
            sum += out.get(0);
            bridge.bToA.poll(out);
            sum += out.get(159);
        }
        return sum;
    }
}
