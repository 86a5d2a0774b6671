package org.tandem.tdm.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmSpan;

/**
 * The card keeps both queues of a B-channel by counting packets instead of asking the kernel
 * (SimBChannel): these tests drive the card's clock by hand and hold the counts, the counters
 * the gateway sees, and the kernel's own queue (FIONREAD) against a model of a bounded queue.
 */
class SimChannelQueueTest {
    private static final int[] E1_B = IntStream.rangeClosed(1, 31).filter(p -> p != 16).toArray();
    private static final long FIONREAD = 0x541B;
    private static final int RX_QUEUE = 4;
    private static final int BLOCK = SimCardConfig.DEFAULT_BLOCK_SIZE;

    private final Posix posix = Posix.system();
    private final AtomicLong now = new AtomicLong();
    private SimulatedCard card;
    private long periods;

    @AfterEach
    void closeCard() {
        if (card != null) {
            card.close();
        }
    }

    private TdmSpan open() {
        return open(RX_QUEUE);
    }

    private TdmSpan open(int rxQueueBlocks) {
        card = new SimulatedCard(SimCardConfig.builder().clock(now::get).rxQueueBlocks(rxQueueBlocks).build());
        return card.backend().openSpan(1, SpanType.E1, 16, E1_B);
    }

    /**
     * DAHDI_FLUSH_READ empties a long queue (37 blocks) and leaves the card's count equal to the
     * kernel's, so the next period delivers again and nothing is counted as an overrun.
     */
    @Test
    void shouldFlushALongQueueAndKeepTheCountExact() {
        int rx = 37;
        TdmSpan span = open(rx);
        BChannel ch = span.bChannel(1);
        SimBChannel sim = ((SimSpan) span).simBChannel(1);
        advance(rx + 3);
        assertEquals(rx * BLOCK, kernelQueuedBytes(ch.fd()));
        assertEquals(rx, sim.queuedTowardsGateway());
        assertEquals(3, card.readOverruns(1, 1));
        ch.flush(1);
        assertEquals(0, kernelQueuedBytes(ch.fd()), "the kernel's queue after the flush");
        assertEquals(0, sim.queuedTowardsGateway(), "the card's count after the flush");
        ch.flush(1); // an empty queue: nothing taken, nothing miscounted
        assertEquals(0, sim.queuedTowardsGateway());
        advance(2);
        assertEquals(2 * BLOCK, kernelQueuedBytes(ch.fd()));
        assertEquals(2, sim.queuedTowardsGateway());
        assertEquals(3, card.readOverruns(1, 1), "no block dropped after the flush");
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        assertEquals(BLOCK, ch.read(buf));
        assertEquals(1, sim.queuedTowardsGateway());
    }

    /** Lets {@code n} periods of the card's clock pass, one at a time, waiting for each tick. */
    private void advance(int n) {
        for (int i = 0; i < n; i++) {
            periods++;
            now.set(periods * SimCardConfig.DEFAULT_PERIOD_NS);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (card.periods() < periods) {
                assertTrue(System.nanoTime() < deadline, "the clock thread did not tick period " + periods);
                Thread.onSpinWait();
            }
        }
        assertEquals(periods, card.periods());
        assertEquals(0, card.clockSlips());
    }

    private int kernelQueuedBytes(int fd) {
        IntByReference bytes = new IntByReference();
        posix.libc().ioctl(fd, FIONREAD, bytes);
        return bytes.getValue();
    }

    @Test
    void shouldDropExactlyTheBlocksTheKernelsBoundedQueueWouldDrop() {
        TdmSpan span = open();
        BChannel ch = span.bChannel(1);
        SimBChannel sim = ((SimSpan) span).simBChannel(1);
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        // {periods to let pass, then blocks the gateway reads (-1: all it can, -2: DAHDI_FLUSH_READ)}
        int[][] script = {{3, 0}, {0, 2}, {4, 0}, {2, 0}, {0, 1}, {1, -1}, {6, 0}, {0, -2}, {2, 0}, {5, 3}, {1, 0},
            {0, -1}, {9, 4}, {1, 1}};
        int queued = 0;
        long delivered = 0;
        long overruns = 0;
        for (int[] step : script) {
            for (int p = 0; p < step[0]; p++) {
                if (queued < RX_QUEUE) {
                    queued++;
                    delivered++;
                } else {
                    overruns++;
                }
            }
            advance(step[0]);
            if (step[1] == -2) {
                ch.flush(1);
                queued = 0;
            } else {
                int want = step[1] == -1 ? Integer.MAX_VALUE : step[1];
                int got = 0;
                while (got < want) {
                    buf.clear();
                    int n = ch.read(buf);
                    if (n == BChannel.WOULD_BLOCK) {
                        break;
                    }
                    assertEquals(BLOCK, n);
                    got++;
                }
                assertEquals(Math.min(want, queued), got, "blocks the gateway could read");
                queued -= got;
            }
            String at = "after period " + periods + " and step " + java.util.Arrays.toString(step);
            assertEquals(queued * BLOCK, kernelQueuedBytes(ch.fd()), "kernel's queue " + at);
            assertEquals(queued, sim.queuedTowardsGateway(), "card's count " + at);
            assertEquals(delivered, card.blocksDelivered(1, 1), "delivered " + at);
            assertEquals(overruns, card.readOverruns(1, 1), "overruns " + at);
        }
        assertEquals(periods, card.blocksDelivered(1, 2) + card.readOverruns(1, 2), "an unread channel: every period counted");
        assertEquals(RX_QUEUE * BLOCK, kernelQueuedBytes(span.bChannel(2).fd()));
    }

    @Test
    void shouldTakeEveryBlockTheGatewayWroteAndCountAnUnderrunOnlyWhenItsQueueIsEmpty() {
        TdmSpan span = open();
        List<Byte> heard = new CopyOnWriteArrayList<>();
        card.attachFarEnd(1, (chanpos, from, to) -> {
            if (chanpos == 1) {
                heard.add(from.get(0));
            }
        });
        BChannel ch = span.bChannel(1);
        SimBChannel sim = ((SimSpan) span).simBChannel(1);
        byte idle = SimCardConfig.DEFAULT_IDLE_CODE;
        List<Byte> expected = new java.util.ArrayList<>();

        int next = write(ch, 3, 1);
        advance(2);
        expected.addAll(List.of((byte) 1, (byte) 2));
        assertEquals(2, card.blocksReceived(1, 1));
        assertEquals(0, card.writeUnderruns(1, 1));
        assertEquals(1, sim.queuedFromGateway());

        advance(2);
        expected.addAll(List.of((byte) 3, idle));
        assertEquals(3, card.blocksReceived(1, 1));
        assertEquals(1, card.writeUnderruns(1, 1), "the period after the last block");
        assertEquals(0, sim.queuedFromGateway());

        // Until the socket is full: the writes refused (WOULD_BLOCK) must not count.
        int accepted = 0;
        ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
        for (int i = 0; i < 1000; i++) {
            fill(b, (byte) (next + accepted));
            if (ch.write(b) != BLOCK) {
                break;
            }
            accepted++;
        }
        assertTrue(accepted > 1 && accepted < 1000, "the socket takes a few blocks, then refuses: " + accepted);
        for (int i = 0; i < accepted; i++) {
            expected.add((byte) (next + i));
        }
        advance(accepted + 2);
        expected.addAll(List.of(idle, idle));
        assertEquals(3 + accepted, card.blocksReceived(1, 1));
        assertEquals(3, card.writeUnderruns(1, 1));

        write(ch, 2, 100);
        ch.flush(2);                     // DAHDI_FLUSH_WRITE: dropped before they are played
        assertEquals(0, sim.queuedFromGateway());
        write(ch, 1, 102);
        advance(2);
        expected.addAll(List.of((byte) 102, idle));
        assertEquals(4 + accepted, card.blocksReceived(1, 1));
        assertEquals(4, card.writeUnderruns(1, 1));

        assertEquals(expected, heard, "what the far end heard, period by period");
        assertEquals(periods, card.writeUnderruns(1, 2), "a channel the gateway never writes");
    }

    /** Writes {@code n} blocks whose bytes are {@code first}, {@code first + 1}...; returns the next value. */
    private static int write(BChannel ch, int n, int first) {
        ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
        for (int i = 0; i < n; i++) {
            fill(b, (byte) (first + i));
            assertEquals(BLOCK, ch.write(b));
        }
        return first + n;
    }

    private static void fill(ByteBuffer b, byte v) {
        b.clear();
        for (int i = 0; i < BLOCK; i++) {
            b.put(i, v);
        }
    }
}
