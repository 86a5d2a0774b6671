package org.tandem.tdm.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.PollFds;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.TdmSpan;

class SimulatedCardTest {
    private static final int[] E1_B = IntStream.rangeClosed(1, 31).filter(p -> p != 16).toArray();
    private final Posix posix = Posix.system();
    private SimulatedCard card;

    @AfterEach
    void closeCard() {
        if (card != null) {
            card.close();
        }
    }

    private TdmSpan openE1(SimCardConfig config) {
        card = new SimulatedCard(config);
        return card.backend().openSpan(1, SpanType.E1, 16, E1_B);
    }

    @Test
    void shouldDeliverExactlyOneBlockPerChannelForEachPeriodOfItsClock() {
        AtomicLong now = new AtomicLong();
        TdmSpan span = openE1(SimCardConfig.builder().clock(now::get).build());
        BChannel ch = span.bChannel(1);
        ByteBuffer buf = ByteBuffer.allocateDirect(160);
        assertEquals(BChannel.WOULD_BLOCK, ch.read(buf), "no period has passed");

        now.set(5 * SimCardConfig.DEFAULT_PERIOD_NS + 1);
        await(() -> card.periods() == 5, "5 periods");
        assertEquals(5, readAll(ch, buf));
        assertEquals(5, card.blocksDelivered(1, 1));
        assertEquals(5, card.blocksDelivered(1, 31));

        now.set(8 * SimCardConfig.DEFAULT_PERIOD_NS);
        await(() -> card.periods() == 8, "8 periods");
        assertEquals(3, readAll(ch, buf));
        assertEquals(0, card.readOverruns(1, 1));
        assertEquals(0, card.clockSlips());
    }

    private static int readAll(BChannel ch, ByteBuffer buf) {
        int blocks = 0;
        for (int i = 0; i < 100; i++) {
            buf.clear();
            int n = ch.read(buf);
            if (n == BChannel.WOULD_BLOCK) {
                return blocks;
            }
            assertEquals(160, n);
            blocks++;
        }
        throw new AssertionError("more than 100 blocks waiting");
    }

    @Test
    void shouldCarryAudioUnchangedBothWaysThroughTheFarEnd() {
        TdmSpan span = openE1(SimCardConfig.defaults());
        ConcurrentLinkedQueue<byte[]> atFarEnd = new ConcurrentLinkedQueue<>();
        byte[] farPattern = new byte[160];
        for (int i = 0; i < 160; i++) {
            farPattern[i] = (byte) (255 - i);
        }
        card.attachFarEnd(1, (chanpos, fromGateway, toGateway) -> {
            if (chanpos == 5) {
                byte[] b = new byte[fromGateway.remaining()];
                fromGateway.get(b);
                atFarEnd.add(b);
                toGateway.put(farPattern);
            } else {
                while (toGateway.hasRemaining()) {
                    toGateway.put((byte) 0xD5);
                }
            }
        });
        BChannel ch = span.bChannel(5);
        ByteBuffer out = ByteBuffer.allocateDirect(160);
        for (int i = 0; i < 160; i++) {
            out.put(i, (byte) i);
        }
        assertEquals(160, ch.write(out));

        await(() -> atFarEnd.stream().anyMatch(b -> b[0] == 0 && b[159] == (byte) 159), "block at far end");
        byte[] expected = new byte[160];
        for (int i = 0; i < 160; i++) {
            expected[i] = (byte) i;
        }
        assertArrayEquals(expected, atFarEnd.stream().filter(b -> b[0] == 0).findFirst().orElseThrow());

        ByteBuffer in = ByteBuffer.allocateDirect(160);
        // Blocks of periods ticked before attachFarEnd (a slow test thread) carry the idle code.
        await(() -> {
            in.clear();
            return ch.read(in) == 160 && in.get(0) != (byte) 0xD5;
        }, "block at gateway");
        byte[] got = new byte[160];
        in.flip().get(got);
        assertArrayEquals(farPattern, got);
    }

    @Test
    void shouldPassIdleCodeWithoutAFarEnd() {
        TdmSpan span = openE1(SimCardConfig.defaults());
        ByteBuffer in = ByteBuffer.allocateDirect(160);
        await(() -> {
            in.clear();
            return span.bChannel(2).read(in) == 160;
        }, "block");
        for (int i = 0; i < 160; i++) {
            assertEquals((byte) 0xD5, in.get(i));
        }
    }

    @Test
    void shouldCountWriteUnderrunsWhenTheGatewayWritesNothing() {
        openE1(SimCardConfig.defaults());
        await(() -> card.writeUnderruns(1, 3) >= 5, "underruns");
        assertEquals(0, card.blocksReceived(1, 3));
    }

    @Test
    void shouldBoundTheGatewaysReceiveQueueAndCountOverruns() {
        openE1(SimCardConfig.builder().periodNs(5_000_000L).rxQueueBlocks(4).build());
        await(() -> card.readOverruns(1, 1) >= 3, "overruns");
        assertEquals(4, card.blocksDelivered(1, 1), "at most rxQueueBlocks wait for the gateway");
    }

    @Test
    void shouldStopDeliveringBlocksOfAStuckChannel() throws Exception {
        TdmSpan span = openE1(SimCardConfig.builder().periodNs(5_000_000L).build());
        await(() -> card.blocksDelivered(1, 7) >= 1, "first block");
        card.setStuck(1, 7, true);
        long before = card.blocksDelivered(1, 7);
        // The neighbour is read, so that its queue (rxQueueBlocks) does not fill however late this
        // thread runs on a loaded machine.
        BChannel neighbour = span.bChannel(8);
        ByteBuffer buf = ByteBuffer.allocateDirect(160);
        long neighbourBefore = card.blocksDelivered(1, 8);
        long periods = card.periods();
        await(() -> readAll(neighbour, buf) >= 0 && card.blocksDelivered(1, 8) > neighbourBefore + 5,
            "the neighbour's blocks");
        assertTrue(card.periods() > periods + 5);
        assertTrue(card.blocksDelivered(1, 7) <= before + 1, "stuck channel kept delivering");
    }

    @Test
    void shouldPassDChannelFramesBothWays() {
        TdmSpan span = openE1(SimCardConfig.builder().periodNs(5_000_000L).build());
        DChannel d = span.dChannel();
        int far = card.farDChannelFd(1);
        byte[] sabme = {0x00, 0x01, 0x7f, 0x11, 0x22};
        assertEquals(5, d.writeFrame(sabme, 0, 5));
        byte[] buf = new byte[300];
        await(() -> posix.read(far, buf, 300) == 5, "frame at far end");
        assertArrayEquals(sabme, java.util.Arrays.copyOf(buf, 5));

        byte[] ua = {0x02, 0x01, 0x73, 0x33, 0x44, 0x55};
        assertEquals(6, posix.write(far, ua, 6));
        byte[] got = new byte[300];
        await(() -> d.readFrame(got, 10, 290) == 6, "frame at gateway");
        assertArrayEquals(ua, java.util.Arrays.copyOfRange(got, 10, 16));

        d.close();
        assertEquals(0, posix.read(far, buf, 300), "the far end sees the gateway hang up");
        assertEquals(-1, d.readFrame(got, 0, 300));
    }

    @Test
    void shouldRaiseAlarmEventDropDChannelWhileRedAndClear() {
        TdmSpan span = openE1(SimCardConfig.builder().periodNs(5_000_000L).build());
        DChannel d = span.dChannel();
        PollFds ev = new PollFds(1).set(0, d.eventFd(), d.eventPollMask());
        assertEquals(0, posix.poll(ev, 1, 0));

        card.raiseAlarm(1, SpanAlarms.RED | SpanAlarms.LOS);
        assertEquals(1, posix.poll(ev, 1, 1000), "event fd readable");
        assertEquals(TdmEvents.ALARM, d.nextEvent());
        assertEquals(TdmEvents.NONE, d.nextEvent());
        assertEquals(0, posix.poll(ev, 1, 0), "nothing pending after the event was taken");
        assertEquals(SpanAlarms.RED | SpanAlarms.LOS, span.alarms());
        assertEquals(SpanAlarms.RED | SpanAlarms.LOS, span.bChannel(1).alarms());

        int far = card.farDChannelFd(1);
        assertEquals(3, d.writeFrame(new byte[] {1, 2, 3}, 0, 3), "a lost frame looks sent to its sender");
        assertEquals(1, card.dChannelFramesDropped(1));
        assertEquals(Posix.WOULD_BLOCK, posix.read(far, new byte[16], 16));
        assertEquals(2, posix.write(far, new byte[] {7, 7}, 2));
        assertEquals(0, d.readFrame(new byte[16], 0, 16), "the far end's frame is lost too");
        assertEquals(2, card.dChannelFramesDropped(1));

        card.clearAlarms(1);
        assertEquals(1, posix.poll(ev, 1, 1000));
        assertEquals(TdmEvents.NOALARM, d.nextEvent());
        assertEquals(SpanAlarms.NONE, span.alarms());
        d.writeFrame(new byte[] {4, 5, 6}, 0, 3);
        byte[] buf = new byte[16];
        await(() -> posix.read(far, buf, 16) == 3, "frame passes after clear");
        assertEquals(4, buf[0]);
    }

    @Test
    void shouldDropDChannelFramesWithoutAlarmWhenTheDChannelIsLost() {
        TdmSpan span = openE1(SimCardConfig.builder().periodNs(5_000_000L).build());
        int far = card.farDChannelFd(1);
        card.setDChannelLost(1, true);
        assertEquals(2, posix.write(far, new byte[] {9, 9}, 2));
        assertEquals(0, span.dChannel().readFrame(new byte[16], 0, 16));
        assertEquals(2, span.dChannel().writeFrame(new byte[] {8, 8}, 0, 2));
        assertEquals(Posix.WOULD_BLOCK, posix.read(far, new byte[16], 16));
        assertEquals(2, card.dChannelFramesDropped(1));
        assertEquals(SpanAlarms.NONE, span.alarms());
        assertEquals(TdmEvents.NONE, span.dChannel().nextEvent());

        card.setDChannelLost(1, false);
        assertEquals(2, posix.write(far, new byte[] {9, 9}, 2));
        assertEquals(2, span.dChannel().readFrame(new byte[16], 0, 16), "frames pass again");
    }

    @Test
    void shouldQueueAlarmAndNoAlarmOnEveryBChannelAndReturnEventPendingFirst() {
        TdmSpan span = openE1(SimCardConfig.builder().periodNs(5_000_000L).build());
        BChannel ch = span.bChannel(9);
        ByteBuffer buf = ByteBuffer.allocateDirect(160);
        await(() -> readOnce(ch, buf) == 160, "a block before the alarm");

        card.raiseAlarm(1, SpanAlarms.RED);
        await(() -> readOnce(ch, buf) == BChannel.EVENT_PENDING, "EVENT_PENDING after red alarm");
        buf.clear();
        assertEquals(BChannel.EVENT_PENDING, ch.write(buf), "writes also wait for the event to be taken");
        assertEquals(TdmEvents.ALARM, ch.nextEvent());
        assertEquals(TdmEvents.NONE, ch.nextEvent());
        assertEquals(SpanAlarms.RED, ch.alarms());
        await(() -> readOnce(ch, buf) == 160, "blocks (idle code) again once the event is taken");
        assertEquals(TdmEvents.ALARM, span.bChannel(31).nextEvent(), "every channel of the span");

        card.clearAlarms(1);
        await(() -> readOnce(ch, buf) == BChannel.EVENT_PENDING, "EVENT_PENDING after clear");
        assertEquals(TdmEvents.NOALARM, ch.nextEvent());
        assertEquals(SpanAlarms.NONE, ch.alarms());
    }

    @Test
    void shouldQueueWriteUnderrunsOnlyWhenBufferEventsAreOn() {
        TdmSpan span = openE1(SimCardConfig.builder().periodNs(5_000_000L).build());
        BChannel quiet = span.bChannel(4);
        await(() -> card.writeUnderruns(1, 4) >= 2, "underruns");
        assertEquals(TdmEvents.NONE, quiet.nextEvent());
        quiet.setBufferEvents(true);
        long before = card.writeUnderruns(1, 4);
        await(() -> card.writeUnderruns(1, 4) > before + 1, "more underruns");
        assertEquals(TdmEvents.WRITE_UNDERRUN, quiet.nextEvent());
        quiet.setBufferEvents(false);
        long off = card.writeUnderruns(1, 4);
        await(() -> card.writeUnderruns(1, 4) > off + 1, "a period with buffer events off");
        quiet.flush(4);
        assertEquals(TdmEvents.NONE, quiet.nextEvent(), "FLUSH_EVENT empties the queue");
    }

    private static int readOnce(BChannel ch, ByteBuffer buf) {
        buf.clear();
        return ch.read(buf);
    }

    @Test
    void shouldReturnTheOpenSpanAndRejectAnotherLayout() {
        TdmSpan span = openE1(SimCardConfig.defaults());
        assertSame(span, card.backend().openSpan(1, SpanType.E1, 16, E1_B));
        TdmException e = assertThrows(TdmException.class,
            () -> card.backend().openSpan(1, SpanType.E1, 16, new int[] {1, 2}));
        assertTrue(e.getMessage().contains("another layout"), e.getMessage());
        assertThrows(TdmException.class, () -> card.backend().openSpan(2, SpanType.E1, 16, new int[] {16}));
        assertNull(span.bChannel(16));
        assertEquals(30, span.bChannels().size());
        assertEquals(1, span.bChannels().get(0).chanpos());
        assertNotEquals(span.bChannel(1).channo(), card.backend().openSpan(2, SpanType.T1, 24,
            new int[] {1}).bChannel(1).channo(), "channel numbers are global");
    }

    @Test
    void shouldCloseEveryDescriptorItOpened() {
        // Compared as sets of (fd, target): other threads of this JVM (earlier tests' cleaners)
        // may close descriptors meanwhile, so a bare count of /proc/self/fd is not enough.
        java.util.Set<String> before = openFds();
        card = new SimulatedCard(SimCardConfig.builder().periodNs(5_000_000L).build());
        TdmSpan span = card.backend().openSpan(1, SpanType.E1, 16, E1_B);
        card.backend().openSpan(2, SpanType.T1, 24, IntStream.rangeClosed(1, 23).toArray());
        java.util.Set<String> opened = openFds();
        opened.removeAll(before);
        // per span: 2 per B-channel, 2 for the D-channel pair, 1 eventfd
        assertTrue(opened.size() >= 2 * (30 + 23) + 2 * 3, "fds open while running: " + opened.size());
        span.bChannel(3).close();
        assertNull(span.bChannel(3));
        span.close();
        card.close();
        card = null;
        java.util.Set<String> left = openFds();
        left.retainAll(opened);
        assertEquals(java.util.Set.of(), left, "descriptors the card opened and did not close");
    }

    /** Every open descriptor of this process as "fd -> target" (target: socket:[inode], anon_inode:...). */
    private static java.util.Set<String> openFds() {
        java.util.Set<String> out = new java.util.HashSet<>();
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) {
            return out;
        }
        for (File fd : fds) {
            try {
                out.add(fd.getName() + " -> " + java.nio.file.Files.readSymbolicLink(fd.toPath()));
            } catch (java.io.IOException closedMeanwhile) {
                // gone between the listing and the read: not open
            }
        }
        return out;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (int i = 0; i < 5000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

}
