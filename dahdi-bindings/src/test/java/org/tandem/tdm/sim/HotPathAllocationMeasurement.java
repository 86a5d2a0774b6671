package org.tandem.tdm.sim;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.PollFds;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmSpan;

/**
 * Manual measurement (not a unit test): bytes allocated by the gateway thread per
 * poll + read + write of a sim B-channel block, after warm-up. See docs/DAHDI.md.
 */
public final class HotPathAllocationMeasurement {
    private HotPathAllocationMeasurement() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        try (SimulatedCard card = new SimulatedCard(SimCardConfig.builder().periodNs(1_000_000L).build())) {
            TdmSpan span = card.openSpan(1, SpanType.E1, 16, new int[] {1});
            BChannel ch = span.bChannel(1);
            ByteBuffer buf = ByteBuffer.allocateDirect(160);
            PollFds fds = new PollFds(1).set(0, ch.fd(), LibC.POLLIN);
            Posix posix = Posix.system();
            for (int round = 0; round < 2; round++) {
                long before = mx.getThreadAllocatedBytes(tid);
                int blocks = 0;
                for (int i = 0; i < 20_000 && blocks < 5_000; i++) {
                    if (posix.poll(fds, 1, 100) > 0) {
                        buf.clear();
                        if (ch.read(buf) == 160) {
                            blocks++;
                            buf.flip();
                            ch.write(buf);
                        }
                    }
                }
                long after = mx.getThreadAllocatedBytes(tid);
                System.out.printf("round %d: %d blocks, %d bytes allocated, %.2f B/block%n", round, blocks,
                    after - before, (after - before) / (double) Math.max(1, blocks));
            }
        }
    }
}
