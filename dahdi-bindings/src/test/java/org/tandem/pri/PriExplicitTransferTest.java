package org.tandem.pri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.SpanType;

/**
 * Explicit call transfer (ETSI ECT, EN 300 369) between a CPE and a NETWORK libpri 1.6.0 over a
 * SEQPACKET socketpair, EuroISDN: two answered calls of the CPE, {@link PriSpan#transfer} on the
 * CPE (EctLinkIdRequest, then ExplicitEctExecute), {@link PriEvent.TransferRequested} naming both
 * calls at the network, whose success response and clearing release both calls at the CPE. Without
 * supplementary services on the network side nothing reaches it and both calls stay up.
 */
class PriExplicitTransferTest {
    private final Posix posix = Posix.system();
    private PriEngine engine;
    private int[] pair;
    private final EventRecorder cpe = new EventRecorder();
    private final EventRecorder net = new EventRecorder();
    private PriSpan cpeSpan;
    private PriSpan netSpan;

    private void start(boolean networkServices) throws InterruptedException {
        engine = PriEngine.start("pri-test");
        pair = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        cpeSpan = engine.addSpan(PriSpanConfig.defaults("cpe", PriNode.CPE, SpanType.E1)
                .withRestartOnDChannelUp(false).withSupplementaryServices(true),
            new FdDChannel(posix, pair[0], true), () -> 0, cpe);
        netSpan = engine.addSpan(PriSpanConfig.defaults("net", PriNode.NETWORK, SpanType.E1)
                .withSupplementaryServices(networkServices),
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

    /** An outgoing CPE call answered by the network; returns {cpe call, network call}. */
    private PriCall[] answeredCall(String called, int ts) throws InterruptedException {
        PriCall out = cpeSpan.setup(OutgoingCall.to(called, "5551234", ts));
        PriEvent.IncomingCall ring = net.await(PriEvent.IncomingCall.class, e -> e.channel() == ts);
        ring.call().proceeding(false);
        ring.call().answer();
        cpe.await(PriEvent.Answered.class, e -> e.call() == out);
        return new PriCall[] {out, ring.call()};
    }

    @Test
    void shouldAskTheNetworkToJoinBothCallsAndBeReleasedFromBothWhenItDoes() throws InterruptedException {
        start(true);
        PriCall[] x = answeredCall("1004", 1);
        PriCall[] y = answeredCall("1000", 2);
        cpeSpan.transfer(x[0], y[0]);
        PriEvent.TransferRequested t = net.await(PriEvent.TransferRequested.class);
        assertNotNull(t, "the network got the transfer request");
        assertTrue((t.call1() == x[1] && t.call2() == y[1]) || (t.call1() == y[1] && t.call2() == x[1]),
            "it names the two calls: " + t);
        t.call1().transferResponse(t.invokeId(), true);
        // The network has joined X and Y: it clears both calls towards the user (the recorder
        // answers each DISCONNECT with RELEASE).
        x[1].hangup(PriCause.NORMAL_CLEARING);
        y[1].hangup(PriCause.NORMAL_CLEARING);
        awaitReleased(x[0], y[0]);
        for (PriEvent e : cpe.seen()) {
            if (e instanceof PriEvent.DisconnectRequested d) {
                assertEquals(PriCause.NORMAL_CLEARING, d.cause());
            }
        }
    }

    /** Waits for the release of both calls, in whatever order. */
    private void awaitReleased(PriCall a, PriCall b) throws InterruptedException {
        java.util.Set<PriCall> left = new java.util.HashSet<>(java.util.List.of(a, b));
        while (!left.isEmpty()) {
            left.remove(cpe.await(PriEvent.CallReleased.class, e -> left.contains(e.call())).call());
        }
    }

    @Test
    void shouldReachNoNetworkThatDoesNotOfferTheServiceAndLeaveBothCallsUp() throws InterruptedException {
        start(false);
        PriCall[] x = answeredCall("1004", 1);
        PriCall[] y = answeredCall("1000", 2);
        cpeSpan.transfer(x[0], y[0]);
        // Clearing X afterwards: the network sees it after whatever the transfer request sent.
        x[0].hangup(PriCause.NORMAL_CLEARING);
        net.await(PriEvent.CallReleased.class, e -> e.call() == x[1]);
        assertTrue(net.seen().stream().noneMatch(e -> e instanceof PriEvent.TransferRequested),
            "no transfer reached the network: " + net.seen());
        assertTrue(!y[0].isReleased(), "the other call is still up");
        y[0].hangup(PriCause.NORMAL_CLEARING);
        awaitReleased(x[0], y[0]);
    }
}
