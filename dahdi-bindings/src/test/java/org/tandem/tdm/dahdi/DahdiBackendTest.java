package org.tandem.tdm.dahdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.dahdi.jna.Dahdi;
import org.tandem.tdm.dahdi.jna.DahdiIoctl;

/** The dahdi backend's logic against a fake kernel: a T1 span registered first, then an E1 span. */
class DahdiBackendTest {
    private static final int[] E1_B = IntStream.rangeClosed(1, 31).filter(p -> p != 16).toArray();
    private final FakeDahdiLibC kernel = new FakeDahdiLibC("/fake/dahdi")
        .span(1, 1, 24, 24, Dahdi.DAHDI_SIG_HDLCFCS)
        .span(2, 25, 31, 16, Dahdi.DAHDI_SIG_HARDHDLC);
    private final DahdiBackend backend = new DahdiBackend(new Posix(kernel), Path.of("/fake/dahdi"), 160);

    @Test
    void shouldOpenChannelsByTheNumbersGetParamsReportsNotByE1Arithmetic() {
        TdmSpan span = backend.openSpan(2, SpanType.E1, 16, E1_B);
        // E1 arithmetic would say 31*(2-1)+ts: channo 32 for ts 1. The kernel says 25.
        assertEquals(25, span.bChannel(1).channo());
        assertEquals(41, span.bChannel(17).channo());
        assertEquals(2, span.bChannel(17).spanNumber());
        assertEquals(30, span.bChannels().size());
        assertTrue(kernel.calls.contains("DAHDI_SPECIFY(0, 40)"), "D-channel bound to channo 40");
        assertTrue(kernel.calls.contains("DAHDI_SET_BUFINFO(40, 0,0,32x1024)"), kernel.calls.toString());
        assertTrue(kernel.calls.contains("DAHDI_SET_BLOCKSIZE(25, 160)"));
        assertTrue(kernel.calls.contains("DAHDI_SET_BUFINFO(25, 0,0,4x160)"));
        assertEquals(31, kernel.openFds.size(), "one descriptor per opened channel, discovery ones closed");
        span.close();
        assertEquals(0, kernel.openFds.size());
    }

    @Test
    void shouldScanTheKernelsChannelsOnceForAllSpans() {
        TdmSpan t1 = backend.openSpan(1, SpanType.T1, 24, IntStream.rangeClosed(1, 23).toArray());
        TdmSpan e1 = backend.openSpan(2, SpanType.E1, 16, E1_B);
        // channo 50 (span 2, timeslot 26): bound once by the one discovery scan, once when span 2
        // opens it. A scan per openSpan would bind it a third time.
        assertEquals(2, kernel.calls.stream().filter("DAHDI_SPECIFY(0, 50)"::equals).count(),
            "times channo 50 was bound");
        e1.close();
        t1.close();
        assertEquals(0, kernel.openFds.size());
    }

    @Test
    void shouldRejectADChannelThatIsNotInHdlcModeAndCloseWhatItOpened() {
        kernel.table.put(40, new FakeDahdiLibC.Chan(2, 16, Dahdi.DAHDI_SIG_CLEAR));
        TdmException e = assertThrows(TdmException.class, () -> backend.openSpan(2, SpanType.E1, 16, E1_B));
        assertTrue(e.getMessage().contains("D-channel channo 40 (span 2 pos 16, CLEAR) is not in HDLC mode "
            + "(HDLCFCS or HARDHDLC expected)"), e.getMessage());
        assertEquals(0, kernel.openFds.size());
    }

    @Test
    void shouldSayWhichSpansExistWhenTheSpanIsMissing() {
        TdmException e = assertThrows(TdmException.class, () -> backend.openSpan(3, SpanType.E1, 16, E1_B));
        assertEquals("DAHDI span 3 has no channel at position 16 (D-channel); spans with channels: [1, 2], "
            + "55 channels in all", e.getMessage());
    }

    @Test
    void shouldMapElastToEventPendingAndEagainToWouldBlock() {
        TdmSpan span = backend.openSpan(2, SpanType.E1, 16, E1_B);
        BChannel b = span.bChannel(3);
        byte[] block = new byte[160];
        block[0] = 0x55;
        block[159] = 0x2A;
        kernel.reads.put(27, new ArrayDeque<>(List.of(LibC.ELAST, LibC.EAGAIN, block)));
        kernel.events.put(27, new ArrayDeque<>(List.of(Dahdi.DAHDI_EVENT_WRITE_UNDERRUN)));
        ByteBuffer buf = ByteBuffer.allocateDirect(160);

        assertEquals(BChannel.EVENT_PENDING, b.read(buf));
        assertEquals(TdmEvents.WRITE_UNDERRUN, b.nextEvent());
        assertEquals(TdmEvents.NONE, b.nextEvent());
        assertEquals(BChannel.WOULD_BLOCK, b.read(buf));
        assertEquals(160, b.read(buf));
        assertEquals(0x55, buf.get(0));
        assertEquals(0x2A, buf.get(159));
        assertEquals(160, buf.position());
        buf.flip();
        assertEquals(160, b.write(buf));
        assertTrue(kernel.calls.contains("write(27, 160)"));
    }

    @Test
    void shouldConfigureACallOnTheBChannel() {
        TdmSpan span = backend.openSpan(2, SpanType.E1, 16, E1_B);
        BChannel b = span.bChannel(1);
        b.setLaw(TdmLaw.ALAW);
        b.setAudioMode(true);
        b.setEchoCanceller(128);
        b.flush(Dahdi.DAHDI_FLUSH_BOTH);
        assertEquals(List.of("DAHDI_SETLAW(25, 2)", "DAHDI_AUDIOMODE(25, 1)", "DAHDI_ECHOCANCEL_PARAMS(25, taps 128)",
            "DAHDI_FLUSH(25, 3)"), kernel.calls.subList(kernel.calls.size() - 4, kernel.calls.size()));
    }

    @Test
    void shouldRefreshSpanAlarmsWhenTheDChannelReportsAnAlarm() {
        TdmSpan span = backend.openSpan(2, SpanType.E1, 16, E1_B);
        assertEquals(SpanAlarms.NONE, span.alarms());
        assertEquals(LibC.POLLPRI, span.dChannel().eventPollMask());
        assertEquals(span.dChannel().fd(), span.dChannel().eventFd());
        kernel.spanAlarms.put(2, SpanAlarms.RED);
        kernel.events.put(40, new ArrayDeque<>(List.of(Dahdi.DAHDI_EVENT_ALARM)));
        assertEquals(TdmEvents.ALARM, span.dChannel().nextEvent());
        assertEquals(SpanAlarms.RED, span.alarms());
        assertEquals(SpanAlarms.RED, span.bChannel(1).alarms());
    }

    @Test
    void shouldReadTheSpansErrorCountersFromSpanstat() {
        TdmSpan span = backend.openSpan(2, SpanType.E1, 16, E1_B);
        assertEquals(new org.tandem.tdm.SpanErrors(0, 0, 0, 0), span.errors());
        kernel.spanErrors.put(2, new int[] {7, 3, 1, 2});
        assertEquals(new org.tandem.tdm.SpanErrors(7, 3, 1, 2), span.errors());
        kernel.spanErrors.put(2, new int[] {-1, 0, 0, 0});
        assertEquals(0xFFFF_FFFFL, span.errors().bipolarViolations(), "a u32 counter, not negative");
    }

    @Test
    void shouldNameTheIoctlAndErrnoWhenSpanConfigFails() {
        kernel.failures.put(DahdiIoctl.DAHDI_SPANCONFIG, LibC.EBUSY);
        try (DahdiControl ctl = new DahdiControl(new Posix(kernel), Path.of("/fake/dahdi"))) {
            TdmException e = assertThrows(TdmException.class, () -> ctl.configureSpan(2,
                Dahdi.DAHDI_CONFIG_CCS | Dahdi.DAHDI_CONFIG_HDB3 | Dahdi.DAHDI_CONFIG_CRC4, 0, 1));
            assertTrue(e.getMessage().endsWith("ioctl(fd=" + (kernel.openFds.keySet().iterator().next())
                + ", DAHDI_SPANCONFIG, &DahdiLineConfig) failed: EBUSY (Device or resource busy)"), e.getMessage());
        }
        assertEquals(0, kernel.openFds.size());
    }

    @Test
    void shouldShowTheKernelsViewOfASpanForComparisonWithTheIni() {
        try (DahdiControl ctl = new DahdiControl(new Posix(kernel), Path.of("/fake/dahdi"))) {
            SpanView view = ctl.view(2);
            assertEquals(31, view.channels().size());
            assertEquals(Dahdi.DAHDI_SIG_HARDHDLC, view.channel(16).sigtype());
            int e1 = Dahdi.DAHDI_CONFIG_CCS | Dahdi.DAHDI_CONFIG_HDB3 | Dahdi.DAHDI_CONFIG_CRC4;
            assertEquals(List.of(), view.differencesFrom(e1, 16, E1_B));
            assertEquals(List.of("span 2: position 15 should be the HDLC D-channel, kernel has CLEAR"),
                view.differencesFrom(e1, 15, new int[] {1}));
        }
    }

    @Test
    void shouldSuggestTheKernelModuleWhenTheDeviceIsMissing() {
        DahdiBackend missing = new DahdiBackend(new Posix(kernel), Path.of("/dev/nodahdi"), 160);
        TdmException e = assertThrows(TdmException.class, () -> missing.openSpan(1, SpanType.T1, 24, new int[] {1}));
        assertEquals("cannot open /dev/nodahdi/channel: open(\"/dev/nodahdi/channel\", O_RDWR|O_NONBLOCK|O_CLOEXEC) "
            + "failed: ENOENT (No such file or directory) (is the dahdi kernel module loaded?)", e.getMessage());
    }
}
