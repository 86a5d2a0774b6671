package org.tandem.pri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.SpanType;

/**
 * Call hold (HOLD / RETRIEVE, ETS 300 139) between a CPE and a NETWORK libpri 1.6.0 over a
 * SEQPACKET socketpair, EuroISDN, both with {@link PriSpanConfig#hold}: hold and retrieve of an
 * answered call by the CPE, acknowledged by the network, the call back on its own B-channel; a
 * HOLD refused with a cause; hold and retrieve from the network side.
 */
class PriHoldTest {
    private final Posix posix = Posix.system();
    private PriEngine engine;
    private int[] pair;
    private final EventRecorder cpe = new EventRecorder();
    private final EventRecorder net = new EventRecorder();
    private PriSpan cpeSpan;

    private void start(boolean networkHold) throws InterruptedException {
        engine = PriEngine.start("pri-test");
        pair = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        cpeSpan = engine.addSpan(PriSpanConfig.defaults("cpe", PriNode.CPE, SpanType.E1)
                .withRestartOnDChannelUp(false).withHold(true),
            new FdDChannel(posix, pair[0], true), () -> 0, cpe);
        engine.addSpan(PriSpanConfig.defaults("net", PriNode.NETWORK, SpanType.E1).withHold(networkHold),
            new FdDChannel(posix, pair[1], true), () -> 0, net);
        cpe.await(PriEvent.DChannelUp.class);
        net.await(PriEvent.DChannelUp.class);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
            posix.closeQuietly(pair[0]);
            posix.closeQuietly(pair[1]);
        }
    }

    private PriCall[] answeredCall(int ts) throws InterruptedException {
        PriCall out = cpeSpan.setup(OutgoingCall.to("1004", "5551234", ts));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class, e -> e.channel() == ts);
        ring.call().proceeding(false);
        ring.call().answer();
        cpe.await(PriEvent.Answered.class, e -> e.call() == out);
        return new PriCall[] {out, ring.call()};
    }

    @Test
    void shouldHoldAndRetrieveOnTheSameBChannel() throws InterruptedException {
        start(true);
        PriCall[] c = answeredCall(5);
        c[0].hold();
        net.await(PriEvent.HoldRequested.class, e -> e.call() == c[1]);
        c[1].holdAcknowledge();
        cpe.await(PriEvent.HoldAcknowledged.class, e -> e.call() == c[0]);
        c[0].retrieve();
        PriEvent.RetrieveRequested r = net.await(PriEvent.RetrieveRequested.class, e -> e.call() == c[1]);
        assertEquals(5, r.channel(), "RETRIEVE asks for the call's own B-channel");
        c[1].retrieveAcknowledge();
        PriEvent.RetrieveAcknowledged back = cpe.await(PriEvent.RetrieveAcknowledged.class, e -> e.call() == c[0]);
        assertEquals(5, back.channel());
        c[0].hangup(PriCause.NORMAL_CLEARING);
        cpe.await(PriEvent.CallReleased.class, e -> e.call() == c[0]);
    }

    @Test
    void shouldReportARefusedHoldWithItsCause() throws InterruptedException {
        start(true);
        PriCall[] c = answeredCall(6);
        c[0].hold();
        net.await(PriEvent.HoldRequested.class, e -> e.call() == c[1]);
        c[1].holdReject(PriCause.FACILITY_REJECTED);
        PriEvent.HoldRejected rej = cpe.await(PriEvent.HoldRejected.class, e -> e.call() == c[0]);
        assertEquals(PriCause.FACILITY_REJECTED, rej.cause());
        assertTrue(!c[0].isReleased(), "the call goes on");
        c[0].hangup(PriCause.NORMAL_CLEARING);
        cpe.await(PriEvent.CallReleased.class, e -> e.call() == c[0]);
    }

    @Test
    void shouldCarryAHoldFromTheNetworkSide() throws InterruptedException {
        start(true);
        PriCall[] c = answeredCall(7);
        c[1].hold();
        cpe.await(PriEvent.HoldRequested.class, e -> e.call() == c[0]);
        c[0].holdAcknowledge();
        net.await(PriEvent.HoldAcknowledged.class, e -> e.call() == c[1]);
        c[1].retrieve();
        cpe.await(PriEvent.RetrieveRequested.class, e -> e.call() == c[0]);
        c[0].retrieveAcknowledge();
        net.await(PriEvent.RetrieveAcknowledged.class, e -> e.call() == c[1]);
        c[0].hangup(PriCause.NORMAL_CLEARING);
        cpe.await(PriEvent.CallReleased.class, e -> e.call() == c[0]);
    }
}
