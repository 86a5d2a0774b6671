package org.tandem.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.sim.SimulatedCard;
import org.tandem.testing.net.FreePorts;

/**
 * One B-channel, one agent at a time. Found by the one-hour soak: when a media agent fell behind
 * (a 1-2 s stall), a call that ended before its attach had run queued its detach behind the next
 * call's attach on the same B-channel; that attach found the B-channel's fd still registered, and
 * the failed registration, left in Netty's fd-keyed map, made the first call's cancel skip
 * EPOLL_CTL_DEL: the fd stayed in the agent's epoll set for good, every later call on that
 * B-channel on that agent failed (cause 41), and the B-channel's blocks went to a detached channel.
 * These tests stall the agents with a task that blocks their loops (the fault), then check the
 * order, the agent choice, and that a clash never disturbs the call already attached. Real engine,
 * simulated card, RTP peers on loopback; a few seconds.
 */
class MediaAttachOrderTest {
    private SimulatedCard card;
    private TdmSpan span;
    private MediaEngine engine;
    private final ScriptedFarEnd farEnd = new ScriptedFarEnd();
    private final MediaEngineSimSpanTest.Events events = new MediaEngineSimSpanTest.Events();

    private void start(int agents) throws IOException {
        card = new SimulatedCard();
        span = card.openSpan(1, SpanType.E1, 16, new int[] {1, 2});
        card.attachFarEnd(1, farEnd);
        int base = FreePorts.range(32);
        engine = new MediaEngine(new MediaConfig(FreePorts.LOOPBACK, base, base + 31, 46, 40, 200, agents, 30_000));
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (card != null) {
            card.close();
        }
    }

    private MediaHandle attach(String callId, int chanpos, RtpPeer peer) throws IOException {
        BChannel b = span.bChannel(chanpos);
        b.setLaw(TdmLaw.ALAW);
        RtpPorts ports = engine.allocatePorts();
        return engine.attach(new MediaSessionSpec(callId, b, TdmLaw.ALAW, ports, peer.address(),
                MediaSessionSpec.PT_PCMA, -1, 20, MediaDirection.SENDRECV), events);
    }

    /** Blocks every agent's loop until the returned latch opens: the agents fall behind. */
    private CountDownLatch stallAgents(int agents) throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(agents);
        for (int i = 0; i < agents; i++) {
            engine.agent(i).loop().execute(() -> {
                stalled.countDown();
                try {
                    open.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertTrue(stalled.await(5, TimeUnit.SECONDS), "the agents did not pick up the stall");
        return open;
    }

    /**
     * Whether the gateway sends {@code peer} at least 5 new packets within 5 s (one every 20 ms when
     * the B-channel's blocks reach the call; none when they go elsewhere). A liveness check, not a
     * timing one: the bound only ends a wait that would otherwise never end.
     */
    private static boolean flows(RtpPeer peer) throws Exception {
        peer.drain();
        int before = peer.received.size();
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            peer.drain();
            if (peer.received.size() - before >= 5) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** The call attached and its B-channel's blocks reach its peer as RTP ({@code why} if not). */
    private static void carries(MediaHandle h, RtpPeer peer, String why) throws Exception {
        attachedOrFail(h);
        assertTrue(flows(peer), why);
    }

    private static void attachedOrFail(MediaHandle h) throws Exception {
        try {
            h.attached().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            fail("call " + h.callId() + " could not attach: " + e.getCause().getMessage());
        }
    }

    @Test
    void shouldRunADetachAskedWhileTheAgentIsBehindBeforeTheNextAttachOfItsBChannel() throws Exception {
        start(1);
        try (RtpPeer peerA = new RtpPeer(MediaSessionSpec.PT_PCMA);
             RtpPeer peerB = new RtpPeer(MediaSessionSpec.PT_PCMA);
             RtpPeer peerC = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            CountDownLatch open = stallAgents(1);
            MediaHandle a = attach("order-a", 1, peerA);
            a.detach(); // the call ended before its attach ran
            MediaHandle b = attach("order-b", 1, peerB); // the B-channel's next call
            open.countDown();
            a.detach().get(5, TimeUnit.SECONDS);
            carries(b, peerB, "the next call on the B-channel carries no media");
            b.detach().get(5, TimeUnit.SECONDS);
            // Nothing of either is left on the agent: the B-channel takes calls as before.
            MediaHandle c = attach("order-c", 1, peerC);
            carries(c, peerC, "a later call on the B-channel carries no media");
            c.detach().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldKeepABChannelsNextCallOnTheAgentStillDetachingItsLast() throws Exception {
        start(2);
        try (RtpPeer peerA = new RtpPeer(MediaSessionSpec.PT_PCMA);
             RtpPeer peerB = new RtpPeer(MediaSessionSpec.PT_PCMA);
             RtpPeer peerOther = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            CountDownLatch open = stallAgents(2);
            MediaHandle a = attach("sticky-a", 1, peerA);
            a.detach();
            MediaHandle other = attach("sticky-other", 2, peerOther); // least loaded: the other agent
            MediaHandle b = attach("sticky-b", 1, peerB);
            assertNotEquals(a.agentName(), other.agentName(), "the least-loaded choice no longer spreads calls");
            assertEquals(a.agentName(), b.agentName(),
                    "the B-channel's next call went to another agent while its last was still detaching there");
            open.countDown();
            a.detach().get(5, TimeUnit.SECONDS);
            attachedOrFail(other);
            carries(b, peerB, "the next call on the B-channel carries no media");
            b.detach().get(5, TimeUnit.SECONDS);
            other.detach().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseASecondCallOnABChannelStillAttachedWithoutDisturbingTheFirst() throws Exception {
        start(1);
        try (RtpPeer peerA = new RtpPeer(MediaSessionSpec.PT_PCMA);
             RtpPeer peerB = new RtpPeer(MediaSessionSpec.PT_PCMA);
             RtpPeer peerC = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            MediaHandle a = attach("clash-a", 1, peerA);
            carries(a, peerA, "the first call carries no media");
            MediaHandle b = attach("clash-b", 1, peerB); // a bug upstream: the B-channel is busy
            ExecutionException refused = null;
            try {
                b.attached().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                refused = e;
            }
            assertTrue(refused != null, "a second call was attached to a B-channel in use");
            assertTrue(refused.getCause().getMessage().contains("clash-a"),
                    "the refusal does not name the call holding the B-channel: " + refused.getCause().getMessage());
            b.detach().get(5, TimeUnit.SECONDS);
            // The first call's registration is intact: its B-channel's blocks still become its RTP.
            assertTrue(flows(peerA), "the refused attach took the first call's B-channel");
            a.detach().get(5, TimeUnit.SECONDS);
            MediaHandle c = attach("clash-c", 1, peerC);
            carries(c, peerC, "the B-channel carries no media after the clash");
            c.detach().get(5, TimeUnit.SECONDS);
        }
    }
}
