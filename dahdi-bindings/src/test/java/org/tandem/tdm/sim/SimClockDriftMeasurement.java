package org.tandem.tdm.sim;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.PollFds;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmSpan;

/**
 * Manual measurement (not a unit test): runs a card with one E1 span for N seconds while a
 * gateway thread reads channel 1, then prints periods ticked vs. wall time and the worst
 * lateness of a tick. Run: see docs/DAHDI.md.
 */
public final class SimClockDriftMeasurement {
    private SimClockDriftMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long[] worstLateNs = new long[1];
        long[] firstNs = new long[1];
        long[] ticks = new long[1];
        long[] lastLateNs = new long[1];
        try (SimulatedCard card = new SimulatedCard()) {
            TdmSpan span = card.openSpan(1, SpanType.E1, 16,
                IntStream.rangeClosed(1, 31).filter(p -> p != 16).toArray());
            card.attachFarEnd(1, (chanpos, from, to) -> {
                if (chanpos == 1) {
                    long now = System.nanoTime();
                    if (ticks[0] == 0) {
                        firstNs[0] = now;
                    } else {
                        long late = now - (firstNs[0] + ticks[0] * 20_000_000L);
                        worstLateNs[0] = Math.max(worstLateNs[0], late);
                        lastLateNs[0] = late;
                    }
                    ticks[0]++;
                }
                to.put(from);
            });
            BChannel ch = span.bChannel(1);
            ByteBuffer buf = ByteBuffer.allocateDirect(160);
            PollFds fds = new PollFds(1).set(0, ch.fd(), LibC.POLLIN);
            Posix posix = Posix.system();
            long start = System.nanoTime();
            long read = 0;
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                if (posix.poll(fds, 1, 100) > 0) {
                    buf.clear();
                    if (ch.read(buf) == 160) {
                        read++;
                        buf.flip();
                        ch.write(buf);
                    }
                }
            }
            long elapsedNs = System.nanoTime() - start;
            System.out.printf("wall %.3f s, periods %d (expected %.1f), blocks read %d, underruns %d, overruns %d, "
                    + "slips %d, ticks %d, worst tick lateness %.3f ms, last tick lateness vs first + n*20 ms %.3f ms%n",
                elapsedNs / 1e9, card.periods(), elapsedNs / 20e6, read, card.writeUnderruns(1, 1),
                card.readOverruns(1, 1), card.clockSlips(), ticks[0], worstLateNs[0] / 1e6, lastLateNs[0] / 1e6);
        }
    }
}
