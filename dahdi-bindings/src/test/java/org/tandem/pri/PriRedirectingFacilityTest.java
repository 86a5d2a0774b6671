package org.tandem.pri;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.SpanType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A diverted call between a CPE and a NETWORK libpri (EuroISDN, SEQPACKET socketpair) with
 * libpri's supplementary services on: the DivertingLegInformation2 facility carries the count and
 * the original called number beside the Redirecting number IE, both ways.
 */
class PriRedirectingFacilityTest {
    private final Posix posix = Posix.system();
    private PriEngine engine;
    private int[] pair;
    private final EventRecorder cpe = new EventRecorder();
    private final EventRecorder net = new EventRecorder();
    private PriSpan cpeSpan;
    private PriSpan netSpan;

    @BeforeEach
    void start() throws InterruptedException {
        engine = PriEngine.start("pri-test");
        pair = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        cpeSpan = engine.addSpan(PriSpanConfig.defaults("cpe", PriNode.CPE, SpanType.E1)
                .withRestartOnDChannelUp(false).withSupplementaryServices(true),
            new FdDChannel(posix, pair[0], true), () -> 0, cpe);
        netSpan = engine.addSpan(PriSpanConfig.defaults("net", PriNode.NETWORK, SpanType.E1)
                .withSupplementaryServices(true),
            new FdDChannel(posix, pair[1], true), () -> 0, net);
        cpe.await(PriEvent.DChannelUp.class);
        net.await(PriEvent.DChannelUp.class);
    }

    @AfterEach
    void stop() {
        engine.close();
        posix.closeQuietly(pair[0]);
        posix.closeQuietly(pair[1]);
    }

    @Test
    void shouldCarryTheCountAndTheOriginalCalledNumberOfADivertedCallBothWays() throws InterruptedException {
        PriCall out = cpeSpan.setup(OutgoingCall.to("1000", "5551234", 5).withRedirecting(new Redirecting(
            new PartyNumber("302000", 2, 1, 0x20), PartyNumber.of("301999"), Redirecting.REASON_NO_REPLY, 2)));
        Redirecting got = net.await(PriEvent.IncomingCall.class).redirecting();
        assertEquals("302000", got.from().digits());
        assertTrue(got.from().presentationRestricted());
        assertEquals(Redirecting.REASON_NO_REPLY, got.reason());
        assertEquals(2, got.count());
        assertEquals("301999", got.originalCalled().digits());
        out.hangup(PriCause.NORMAL_CLEARING);
        cpe.await(PriEvent.CallReleased.class, e -> e.call() == out);

        PriCall in = netSpan.setup(OutgoingCall.to("200", "0301234567", 6).withRedirecting(new Redirecting(
            PartyNumber.of("201"), PartyNumber.of("199"), Redirecting.REASON_UNCONDITIONAL, 3)));
        Redirecting atCpe = cpe.await(PriEvent.IncomingCall.class).redirecting();
        assertEquals("201", atCpe.from().digits());
        assertEquals(3, atCpe.count());
        assertEquals("199", atCpe.originalCalled().digits());
        assertEquals(Redirecting.REASON_UNCONDITIONAL, atCpe.reason());
        in.hangup(PriCause.NORMAL_CLEARING);
        net.await(PriEvent.CallReleased.class, e -> e.call() == in);
    }
}
