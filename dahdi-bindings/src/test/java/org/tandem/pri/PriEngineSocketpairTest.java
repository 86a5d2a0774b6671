package org.tandem.pri;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.SpanType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A CPE and a NETWORK libpri instance, both real, joined by a SEQPACKET socketpair. */
class PriEngineSocketpairTest {
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
        PriSpanConfig base = PriSpanConfig.defaults("cpe", PriNode.CPE, SpanType.E1)
            .withRestartOnDChannelUp(false).withTimer(PriTimer.T303, 300);
        cpeSpan = engine.addSpan(base, new FdDChannel(posix, pair[0], true), () -> 0, cpe);
        netSpan = engine.addSpan(PriSpanConfig.defaults("net", PriNode.NETWORK, SpanType.E1).withOverlapDial(true),
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
    void shouldCarryACallFromCpeToNetworkWithProgressAnswerAndRelease() throws InterruptedException {
        PriCall out = cpeSpan.setup(new OutgoingCall(5, new PartyNumber("1000", 4, 1, 0),
            new PartyNumber("5551234", 2, 1, 0x20), null, true));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class);
        assertEquals(5, ring.channel());
        assertEquals("1000", ring.called().digits());
        assertEquals(4, ring.called().ton());
        assertEquals("5551234", ring.calling().digits());
        assertEquals(2, ring.calling().ton());
        assertTrue(ring.calling().presentationRestricted());
        assertTrue(ring.complete());

        ring.call().proceeding(false);
        assertEquals(5, cpe.await(PriEvent.Proceeding.class).channel());
        ring.call().alerting(true);
        assertTrue(cpe.await(PriEvent.Alerting.class).inbandAvailable());
        ring.call().answer();
        cpe.await(PriEvent.Answered.class);

        out.hangup(PriCause.NORMAL_CLEARING);
        PriEvent.CallReleased netRel = net.await(PriEvent.CallReleased.class);
        PriEvent.CallReleased cpeRel = cpe.await(PriEvent.CallReleased.class);
        assertEquals(PriCause.NORMAL_CLEARING, netRel.cause());
        assertEquals(PriCause.NORMAL_CLEARING, cpeRel.cause());
        assertTrue(out.isReleased());
        assertTrue(ring.call().isReleased());
    }

    @Test
    void shouldCarryTheRedirectingNumberAndReasonOfADivertedCallBothWays() throws InterruptedException {
        Redirecting sent = new Redirecting(new PartyNumber("302000", 2, 1, 0x20),
            PartyNumber.of("301999"), Redirecting.REASON_BUSY, 2);
        PriCall out = cpeSpan.setup(OutgoingCall.to("1000", "5551234", 5).withRedirecting(sent));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class);
        Redirecting got = ring.redirecting();
        assertEquals("302000", got.from().digits());
        assertEquals(2, got.from().ton());
        assertEquals(1, got.from().npi());
        assertTrue(got.from().presentationRestricted());
        assertEquals(Redirecting.REASON_BUSY, got.reason());
        // Only the Redirecting number IE goes out (libpri's supplementary services are off): no
        // DivertingLegInformation2, so no count and no original called number.
        assertEquals(1, got.count());
        assertNull(got.originalCalled());
        out.hangup(PriCause.NORMAL_CLEARING);
        cpe.await(PriEvent.CallReleased.class, e -> e.call() == out);

        PriCall in = netSpan.setup(OutgoingCall.to("200", "0301234567", 6)
            .withRedirecting(Redirecting.by(PartyNumber.of("201"), Redirecting.REASON_UNCONDITIONAL)));
        PriEvent.IncomingCall atCpe = cpe.await(PriEvent.IncomingCall.class);
        assertEquals("201", atCpe.redirecting().from().digits());
        assertEquals(Redirecting.REASON_UNCONDITIONAL, atCpe.redirecting().reason());
        assertFalse(atCpe.redirecting().from().presentationRestricted());
        in.hangup(PriCause.NORMAL_CLEARING);
        net.await(PriEvent.CallReleased.class, e -> e.call() == in);
    }

    @Test
    void shouldReportNoRedirectingForASetupWithoutOne() throws InterruptedException {
        PriCall out = cpeSpan.setup(OutgoingCall.to("1000", "1", 4));
        assertNull(net.await(PriEvent.IncomingCall.class).redirecting());
        out.hangup(PriCause.NORMAL_CLEARING);
        cpe.await(PriEvent.CallReleased.class, e -> e.call() == out);
    }

    @Test
    void shouldReleaseWithCause18WhenNoAnswerToSetupBeforeT303ExpiresTwice() throws InterruptedException {
        // The network side records the SETUP and never responds.
        PriCall out = cpeSpan.setup(OutgoingCall.to("1000", "1", 1));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class);
        PriEvent.CallReleased r = cpe.await(PriEvent.CallReleased.class, e -> e.call() == out);
        assertEquals(PriCause.NO_USER_RESPONSE, r.cause());
        assertEquals(PriEvent.ReleaseReason.REMOTE, r.reason());
        assertEquals(1, ring.channel());
    }

    @Test
    void shouldRejectAFreshIncomingCallAsBusyWithCause17NotAT303Timeout() throws InterruptedException {
        PriCall out = cpeSpan.setup(OutgoingCall.to("1486", "1", 2));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class);
        ring.call().hangup(PriCause.USER_BUSY);
        PriEvent.DisconnectRequested d = cpe.await(PriEvent.DisconnectRequested.class);
        assertEquals(PriCause.USER_BUSY, d.cause());
        assertEquals(PriCause.USER_BUSY, cpe.await(PriEvent.CallReleased.class, e -> e.call() == out).cause());
        PriEvent.CallReleased n = net.await(PriEvent.CallReleased.class);
        assertEquals(PriEvent.ReleaseReason.LOCAL, n.reason());
    }

    @Test
    void shouldRejectAFreshIncomingCallAsUnallocatedWithReleaseComplete() throws InterruptedException {
        PriCall out = cpeSpan.setup(OutgoingCall.to("1404", "1", 2));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class);
        ring.call().hangup(PriCause.UNALLOCATED);
        assertEquals(PriEvent.ReleaseReason.LOCAL, net.await(PriEvent.CallReleased.class).reason());
        PriEvent.CallReleased r = cpe.await(PriEvent.CallReleased.class, e -> e.call() == out);
        assertEquals(PriCause.UNALLOCATED, r.cause());
    }

    @Test
    void shouldCarryOverlapDigitsAfterSetupAcknowledge() throws InterruptedException {
        PriCall out = cpeSpan.setup(new OutgoingCall(3, PartyNumber.of("12"), PartyNumber.of("1"), null, false));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class);
        assertEquals("12", ring.called().digits());
        ring.call().needMoreDigits();
        cpe.await(PriEvent.SetupAcknowledged.class, e -> e.call() == out);
        out.sendDigits("34");
        StringBuilder digits = new StringBuilder();
        while (digits.length() < 2) {
            PriEvent.DigitsReceived d = net.await(PriEvent.DigitsReceived.class);
            assertEquals(ring.call(), d.call());
            digits.append(d.digits());
        }
        assertEquals("34", digits.toString());
        ring.call().hangup(PriCause.NORMAL_CLEARING);
        cpe.await(PriEvent.CallReleased.class, e -> e.call() == out);
    }

    @Test
    void shouldReportRestartToTheFarEndAndItsAcknowledgement() throws InterruptedException {
        cpeSpan.resetChannel(17);
        assertEquals(17, net.await(PriEvent.ChannelRestarted.class).channel());
        assertEquals(17, cpe.await(PriEvent.RestartAcknowledged.class).channel());
    }
}
