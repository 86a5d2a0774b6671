package org.tandem.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.rtp.RtpPacket;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.sim.SimulatedCard;
import org.tandem.testing.net.FreePorts;

/** What arrives that is not ours, RTCP round trips, RTP timeout and hold, over the simulated span. */
class MediaRobustnessTest {
    private SimulatedCard card;
    private TdmSpan span;
    private MediaEngine engine;
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final MediaListener listener = new MediaListener() {
        @Override
        public void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan) {
            events.add("dtmf " + digit);
        }

        @Override
        public void onRtpTimeout(MediaHandle handle, long silentMs) {
            events.add("timeout");
        }

        @Override
        public void onChannelLost(MediaHandle handle) {
            events.add("lost");
        }
    };

    @BeforeEach
    void start() throws IOException {
        card = new SimulatedCard();
        span = card.openSpan(1, SpanType.E1, 16, new int[] {1});
        ScriptedFarEnd farEnd = new ScriptedFarEnd();
        farEnd.line(1, new ScriptedFarEnd.LoopAround());
        card.attachFarEnd(1, farEnd);
        int base = FreePorts.range(8);
        engine = new MediaEngine(new MediaConfig(FreePorts.LOOPBACK, base, base + 7, 46, 40, 200, 1, 600));
    }

    @AfterEach
    void stop() {
        engine.close();
        card.close();
    }

    private MediaHandle attach(RtpPeer peer) throws Exception {
        RtpPorts ports = engine.allocatePorts();
        MediaHandle h = engine.attach(new MediaSessionSpec("robust", span.bChannel(1), TdmLaw.ALAW, ports,
                peer.address(), MediaSessionSpec.PT_PCMA, 101, 20, MediaDirection.SENDRECV), listener);
        h.attached().get(5, TimeUnit.SECONDS);
        peer.target(new InetSocketAddress(FreePorts.LOOPBACK, h.localRtpPort()));
        return h;
    }

    private static void tick(long[] next) {
        next[0] += 20_000_000L;
        long wait = next[0] - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    @Test
    void shouldCountAndDropPacketsThatAreNotOursWithoutDisturbingTheCall() throws Exception {
        try (RtpPeer peer = new RtpPeer(MediaSessionSpec.PT_PCMA); DatagramChannel junk = DatagramChannel.open()) {
            MediaHandle h = attach(peer);
            InetSocketAddress rtp = new InetSocketAddress(FreePorts.LOOPBACK, h.localRtpPort());
            InetSocketAddress rtcp = new InetSocketAddress(FreePorts.LOOPBACK, h.localRtpPort() + 1);
            Random rnd = new Random(11);
            byte[] audio = new byte[160];
            long[] next = {System.nanoTime()};
            int expectedJunk = 0;
            for (int i = 0; i < 100; i++) {
                rnd.nextBytes(audio);
                peer.sendAudio(audio, i == 0);
                if (i >= 5 && i % 5 == 0) {
                    // from the peer's own socket (the latched source), so only the content is wrong
                    sendRaw(peer.rtp, rtp, garbage(rnd, i));
                    expectedJunk++;
                    byte[] rtcpJunk = new byte[1 + rnd.nextInt(60)];
                    rnd.nextBytes(rtcpJunk);
                    sendRaw(peer.rtcp, rtcp, rtcpJunk);
                }
                peer.drain();
                tick(next);
            }
            MediaStats stats = h.detach().get(5, TimeUnit.SECONDS);
            assertEquals(expectedJunk, stats.notOurs(), "not-ours counter");
            assertTrue(stats.rtcpGarbage() >= 19, "RTCP garbage " + stats.rtcpGarbage());
            assertTrue(stats.packetsReceived() >= 98, "the call's own packets: " + stats.packetsReceived());
            assertTrue(peer.received.size() >= 90, "audio kept flowing back: " + peer.received.size());
        }
    }

    /** Cycles through the kinds of junk a public RTP port gets. */
    private static byte[] garbage(Random rnd, int i) {
        ByteBuffer b = ByteBuffer.allocate(172);
        switch ((i / 5) % 6) {
            case 0: // too short
                return new byte[] {(byte) 0x80, 8, 0, 1};
            case 1: // version 1
                RtpPacket.writeHeader(b, 0, false, 8, i, i * 160, 0x5EED0001);
                b.put(0, (byte) 0x40);
                return b.array();
            case 2: // unknown payload type (18, G.729)
                RtpPacket.writeHeader(b, 0, false, 18, i, i * 160, 0x5EED0001);
                return b.array();
            case 3: // another SSRC (one stray packet: not a source change)
                RtpPacket.writeHeader(b, 0, false, 8, i, i * 160, 0x0BAD0BAD);
                return b.array();
            case 4: // CSRC count beyond the packet
                RtpPacket.writeHeader(b, 0, false, 8, i, i * 160, 0x5EED0001);
                b.put(0, (byte) 0x8F);
                return java.util.Arrays.copyOf(b.array(), 20);
            default: // random bytes
                byte[] r = new byte[1 + rnd.nextInt(200)];
                rnd.nextBytes(r);
                r[0] = (byte) 0x40; // never a valid version
                return r;
        }
    }

    private static void sendRaw(DatagramChannel from, InetSocketAddress to, byte[] bytes) throws IOException {
        from.send(ByteBuffer.wrap(bytes), to);
    }

    @Test
    void shouldMeasureRoundTripTimeFromTheReceiverReportsOfThePeer() throws Exception {
        try (RtpPeer peer = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            MediaHandle h = attach(peer);
            long[] next = {System.nanoTime()};
            byte[] audio = new byte[160];
            // RTCP's first report comes 1..3 s in (RFC 3550 6.2, randomised); bound the wait at 8 s.
            for (int i = 0; i < 400; i++) {
                peer.sendAudio(audio, i == 0);
                peer.drain();
                tick(next);
                if (peer.rtcpSenderReports > 0 && i % 25 == 0 && h.stats().get(1, TimeUnit.SECONDS).rttMs() >= 0) {
                    break;
                }
            }
            MediaStats stats = h.detach().get(5, TimeUnit.SECONDS);
            assertTrue(peer.rtcpSenderReports > 0, "no SR from the gateway");
            assertTrue(peer.lastRtcp.sdesCount > 0 || peer.lastRtcp.bye, "compound RTCP without SDES");
            assertTrue(stats.rttMs() >= 0, "RTT not measured");
            assertEquals(0, stats.remoteFractionLost(), 1e-9);
        }
    }

    @Test
    void shouldRaiseRtpTimeoutOnceAndStopSendingOnHold() throws Exception {
        try (RtpPeer peer = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            MediaHandle h = attach(peer);
            long[] next = {System.nanoTime()};
            byte[] audio = new byte[160];
            for (int i = 0; i < 20; i++) {
                peer.sendAudio(audio, i == 0);
                peer.drain();
                tick(next);
            }
            // the peer goes silent for 1.2 s (timeout 0.6 s): one event
            for (int i = 0; i < 60; i++) {
                peer.drain();
                tick(next);
            }
            assertEquals(1, events.stream().filter("timeout"::equals).count(), "events " + events);
            h.setDirection(MediaDirection.INACTIVE).get(1, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                peer.drain();
                tick(next);
            }
            int before = peer.received.size();
            for (int i = 0; i < 25; i++) {
                peer.drain();
                tick(next);
            }
            assertEquals(before, peer.received.size(), "RTP kept flowing while inactive");
            h.setDirection(MediaDirection.SENDRECV).get(1, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                peer.sendAudio(audio, false);
                peer.drain();
                tick(next);
            }
            assertTrue(peer.received.size() > before + 5, "RTP did not resume");
            h.detach().get(5, TimeUnit.SECONDS);
            assertEquals(0, engine.portsInUse());
        }
    }

    @Test
    void shouldReturnThePortsOfCallsStillAttachedWhenTheEngineCloses() throws Exception {
        try (RtpPeer peer = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            attach(peer);
            assertEquals(1, engine.portsInUse());
            engine.close();
            assertEquals(0, engine.portsInUse());
        }
    }

    @Test
    void shouldReturnThePortsWhenAttachFailsOrTheCallEndsBeforeAttach() throws Exception {
        RtpPorts unused = engine.allocatePorts();
        unused.close(); // the call failed before media: call control closes them
        RtpPorts ports = engine.allocatePorts();
        // an invalid spec is refused before it reaches an agent; the caller still owns the ports
        try {
            new MediaSessionSpec("bad", span.bChannel(1), TdmLaw.ALAW, ports,
                    new InetSocketAddress(FreePorts.LOOPBACK, 4000), 18, -1, 20, MediaDirection.SENDRECV);
        } catch (IllegalArgumentException expected) {
            ports.close();
        }
        assertEquals(0, engine.portsInUse());
        // detaching a handle whose attach is still pending is safe and returns the ports
        try (RtpPeer peer = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            RtpPorts p = engine.allocatePorts();
            MediaHandle h = engine.attach(new MediaSessionSpec("quick", span.bChannel(1), TdmLaw.ALAW, p,
                    peer.address(), MediaSessionSpec.PT_PCMA, -1, 20, MediaDirection.SENDRECV), listener);
            h.detach().get(5, TimeUnit.SECONDS);
            assertEquals(0, engine.portsInUse());
        }
    }
}
