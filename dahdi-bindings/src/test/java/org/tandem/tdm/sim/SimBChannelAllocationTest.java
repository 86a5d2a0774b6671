package org.tandem.tdm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.PollFds;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmSpan;

/**
 * The B-channel hot path (poll + read + write, and taking an event) allocates nothing once warm:
 * bytes allocated by this thread, from the JVM's own per-thread counter. Counts blocks, not time.
 */
class SimBChannelAllocationTest {
    private static final int BLOCKS = 500;

    @Test
    void shouldAllocateNothingPerBlockOnceWarm() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        try (SimulatedCard card = new SimulatedCard(SimCardConfig.builder().periodNs(1_000_000L).build())) {
            TdmSpan span = card.openSpan(1, SpanType.E1, 16, new int[] {1});
            BChannel ch = span.bChannel(1);
            ByteBuffer buf = ByteBuffer.allocateDirect(160);
            PollFds fds = new PollFds(1).set(0, ch.fd(), LibC.POLLIN);
            Posix posix = Posix.system();
            int[] events = new int[1];
            loop(posix, fds, ch, buf, events);           // warm-up: address caches, class init, JIT
            card.raiseAlarm(1, SpanAlarms.YELLOW);       // one ALARM event on the way, taken in the loop
            long before = mx.getThreadAllocatedBytes(tid);
            int blocks = loop(posix, fds, ch, buf, events);
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertEquals(BLOCKS, blocks);
            assertEquals(1, events[0], "the ALARM event was taken inside the measured loop");
            assertEquals(0, allocated, "bytes allocated for " + blocks + " blocks");
        }
    }

    private static int loop(Posix posix, PollFds fds, BChannel ch, ByteBuffer buf, int[] events) {
        int blocks = 0;
        for (int i = 0; i < 20 * BLOCKS && blocks < BLOCKS; i++) {
            if (posix.poll(fds, 1, 100) > 0) {
                buf.clear();
                int n = ch.read(buf);
                if (n == BChannel.EVENT_PENDING) {
                    while (ch.nextEvent() != TdmEvents.NONE) {
                        events[0]++;
                    }
                } else if (n == 160) {
                    blocks++;
                    buf.flip();
                    ch.write(buf);
                }
            }
        }
        return blocks;
    }
}
