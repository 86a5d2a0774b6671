package org.tandem.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.codecs.g711.ALaw;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.sim.SimulatedCard;
import org.tandem.testing.net.FreePorts;

/**
 * The agent's buffer pool ({@link MediaBuffers}): a call's direct buffers and its concealer go back
 * at detach and the next call on the agent takes them, and that call never hears nor receives
 * anything of the previous one. Real engine, simulated card, RTP peers on loopback; a few seconds.
 */
class MediaBufferReuseTest {
    private static final int PTIME = 20;
    /** What the first call's peer sends: +8000 (linear), a level the second call never has. */
    private static final byte LOUD_POSITIVE = ALaw.encode((short) 8000);
    /** What the second call's peer sends. */
    private static final byte LOUD_NEGATIVE = ALaw.encode((short) -8000);

    private SimulatedCard card;
    private TdmSpan span;
    private MediaEngine engine;
    private final ScriptedFarEnd farEnd = new ScriptedFarEnd();
    private final MediaEngineSimSpanTest.Events events = new MediaEngineSimSpanTest.Events();

    /** Records the highest sample (linear) the gateway wrote to a B-channel, from a given tick. */
    static final class PeakRecorder implements ScriptedFarEnd.Line {
        volatile int peak = Integer.MIN_VALUE;
        volatile long blocks;

        @Override
        public void exchange(long tick, ByteBuffer from, ByteBuffer to) {
            int p = peak;
            for (int i = 0; i < ScriptedFarEnd.BLOCK; i++) {
                p = Math.max(p, ALaw.decode(from.get(i)));
                to.put(i, ALaw.IDLE_CODE);
            }
            peak = p;
            blocks++;
        }
    }

    @BeforeEach
    void start() throws IOException {
        card = new SimulatedCard();
        span = card.openSpan(1, SpanType.E1, 16, new int[] {1, 2});
        card.attachFarEnd(1, farEnd);
        int base = FreePorts.range(16);
        // One agent: the second call is on the agent the first one handed its buffers back to.
        engine = new MediaEngine(new MediaConfig(FreePorts.LOOPBACK, base, base + 15, 46, 40, 200, 1, 30_000));
    }

    @AfterEach
    void stop() {
        engine.close();
        card.close();
    }

    private MediaHandle attach(String callId, int chanpos, InetSocketAddress remote) throws Exception {
        BChannel b = span.bChannel(chanpos);
        b.setLaw(TdmLaw.ALAW);
        RtpPorts ports = engine.allocatePorts();
        MediaHandle h = engine.attach(new MediaSessionSpec(callId, b, TdmLaw.ALAW, ports, remote,
                MediaSessionSpec.PT_PCMA, -1, PTIME, MediaDirection.SENDRECV), events);
        h.attached().get(5, TimeUnit.SECONDS);
        return h;
    }

    private static byte[] block(byte code) {
        byte[] b = new byte[160];
        java.util.Arrays.fill(b, code);
        return b;
    }

    /** {direct buffers allocated, reused, concealers allocated, lent}, read on the agent's thread. */
    private long[] poolFigures() throws Exception {
        MediaAgent agent = engine.agent(0);
        return agent.loop().submit(() -> {
            MediaBuffers b = agent.buffers();
            return new long[] {b.directAllocated(), b.directReused(), b.concealersAllocated(), b.concealersLent()};
        }).get(5, TimeUnit.SECONDS);
    }

    /** The descriptors every epoll set of this process watches (/proc/self/fdinfo of each eventpoll fd). */
    private static java.util.Set<Integer> watchedByEpoll() throws IOException {
        java.util.Set<Integer> watched = new java.util.HashSet<>();
        try (java.nio.file.DirectoryStream<java.nio.file.Path> fds =
                     java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/fd"))) {
            for (java.nio.file.Path fd : fds) {
                String target;
                try {
                    target = java.nio.file.Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile (the directory stream's own descriptor)
                }
                if (!target.equals("anon_inode:[eventpoll]")) {
                    continue;
                }
                for (String line : java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of("/proc/self/fdinfo/" + fd.getFileName()))) {
                    if (line.startsWith("tfd:")) {
                        watched.add(Integer.parseInt(line.substring(4).trim().split("\\s+")[0]));
                    }
                }
            }
        }
        return watched;
    }

    /**
     * Detach closes the RTP ports before it unregisters (MediaAgent.detach: the kernel takes closed
     * sockets out of the epoll set, Netty then skips EPOLL_CTL_DEL) and removes the B-channel, which
     * stays open, with EPOLL_CTL_DEL: after it no epoll set watches any of the three descriptors,
     * the peer got the RTCP BYE, and the same B-channel carries the next call.
     */
    @Test
    void shouldLeaveNoDescriptorOfADetachedCallInTheEpollSetAndCarryTheNextCallOnItsBChannel() throws Exception {
        BChannel bChannel = span.bChannel(1);
        for (int round = 0; round < 2; round++) {
            try (RtpPeer peer = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
                bChannel.setLaw(TdmLaw.ALAW);
                RtpPorts ports = engine.allocatePorts();
                int rtpFd = ports.rtpSocket().intValue();
                int rtcpFd = ports.rtcpSocket().intValue();
                MediaHandle h = engine.attach(new MediaSessionSpec("epoll-" + round, bChannel, TdmLaw.ALAW, ports,
                        peer.address(), MediaSessionSpec.PT_PCMA, -1, PTIME, MediaDirection.SENDRECV), events);
                h.attached().get(5, TimeUnit.SECONDS);
                java.util.Set<Integer> during = watchedByEpoll();
                assertTrue(during.contains(rtpFd) && during.contains(rtcpFd) && during.contains(bChannel.fd()),
                        "round " + round + ": the call's descriptors are not all watched: " + during);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (peer.received.size() < 5 && System.nanoTime() < deadline) {
                    peer.drain();
                    LockSupport.parkNanos(PTIME * 1_000_000L);
                }
                assertTrue(peer.received.size() >= 5, "round " + round + ": the peer got "
                        + peer.received.size() + " RTP packets from the B-channel");
                h.detach().get(5, TimeUnit.SECONDS);
                assertTrue(ports.isClosed());
                java.util.Set<Integer> after = watchedByEpoll();
                assertTrue(!after.contains(rtpFd) && !after.contains(rtcpFd) && !after.contains(bChannel.fd()),
                        "round " + round + ": a detached call's descriptor is still watched: " + after);
                deadline = System.nanoTime() + 5_000_000_000L;
                while (!peer.lastRtcp.bye && System.nanoTime() < deadline) {
                    peer.drain();
                    LockSupport.parkNanos(1_000_000L);
                }
                assertTrue(peer.lastRtcp.bye, "round " + round + ": no RTCP BYE at the end of the stream");
            }
        }
        assertEquals(0, engine.portsInUse(), "ports leaked");
    }

    @Test
    void shouldGiveTheNextCallTheBuffersOfTheLastWithoutAnyOfItsAudioOrPackets() throws Exception {
        PeakRecorder lineB = new PeakRecorder();
        farEnd.line(2, lineB);
        try (RtpPeer peerA = new RtpPeer(MediaSessionSpec.PT_PCMA);
             RtpPeer peerB = new RtpPeer(MediaSessionSpec.PT_PCMA)) {
            MediaHandle a = attach("reuse-a", 1, peerA.address());
            peerA.target(new InetSocketAddress(FreePorts.LOOPBACK, a.localRtpPort()));
            byte[] loud = block(LOUD_POSITIVE);
            // Call A: loud audio with a packet lost every 5: its concealer fills with that audio.
            long next = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                if (i % 5 == 4) {
                    peerA.skipAudio(160);
                } else {
                    peerA.sendAudio(loud, i == 0);
                }
                peerA.drain();
                next += PTIME * 1_000_000L;
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
            MediaStats statsA = a.detach().get(5, TimeUnit.SECONDS);
            assertTrue(statsA.concealedFrames() > 0, "call A concealed nothing: the test lost its point");
            long[] afterA = poolFigures();
            assertEquals(0, afterA[3], "a concealer is still lent after call A detached");
            assertTrue(afterA[2] >= 1, "call A never borrowed a concealer");
            // Detached: commands fail instead of touching buffers that are another call's next.
            ExecutionException late = assertThrows(ExecutionException.class,
                    () -> a.setDirection(MediaDirection.INACTIVE).get(5, TimeUnit.SECONDS));
            assertTrue(late.getCause() instanceof IllegalStateException, late.getCause().toString());
            a.stats().get(5, TimeUnit.SECONDS); // the final figures stay readable

            // Call B on the same agent, while A's peer goes on sending to A's old port.
            MediaHandle b = attach("reuse-b", 2, peerB.address());
            peerB.target(new InetSocketAddress(FreePorts.LOOPBACK, b.localRtpPort()));
            long[] atB = poolFigures();
            assertEquals(afterA[0], atB[0], "call B allocated direct buffers instead of taking A's");
            // 6: the two TDM blocks, the RTP and RTCP packets, the RTP and RTCP sockaddrs.
            assertTrue(atB[1] - afterA[1] >= 6, "call B reused " + (atB[1] - afterA[1]) + " direct buffers, not 6");
            byte[] quietNegative = block(LOUD_NEGATIVE);
            long blocksBefore = lineB.blocks;
            next = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                peerA.sendAudio(loud, false);
                if (i % 7 == 3) {
                    peerB.skipAudio(160);
                } else {
                    peerB.sendAudio(quietNegative, i == 0);
                }
                peerA.drain();
                peerB.drain();
                next += PTIME * 1_000_000L;
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
            MediaStats statsB = b.detach().get(5, TimeUnit.SECONDS);
            long[] afterB = poolFigures();
            assertTrue(lineB.blocks - blocksBefore > 40, "call B's line got " + (lineB.blocks - blocksBefore) + " blocks");
            assertTrue(statsB.concealedFrames() > 0, "call B concealed nothing: it never took a concealer");
            assertEquals(afterA[2], afterB[2], "call B allocated a concealer instead of taking A's");
            // Every sample B's line heard is B's audio (negative), its concealment or idle: never
            // A's +8000 (its concealer's history, its jitter buffer, its packets).
            assertTrue(lineB.peak < 2000, "call B's line heard " + lineB.peak + " (call A sent +8000)");
            assertEquals(0, statsB.notOurs(), "call B received packets that were not its peer's");
            assertTrue(statsB.packetsReceived() > 40, "call B received " + statsB.packetsReceived());
            assertEquals(0, afterB[3], "a concealer is still lent after call B detached");
            assertEquals(0, engine.portsInUse(), "ports leaked");
        }
    }

    @Test
    void shouldHandBackABufferOnlyToTakeItAgainAndDropWhatIsBeyondTheBound() {
        MediaBuffers pool = new MediaBuffers(2);
        ByteBuffer x = pool.takeDirect(160);
        ByteBuffer y = pool.takeDirect(160);
        ByteBuffer z = pool.takeDirect(160);
        ByteBuffer r = pool.takeDirect(512);
        x.position(7);
        pool.giveDirect(x);
        pool.giveDirect(y);
        pool.giveDirect(z); // beyond the bound of 2: left to the GC
        assertEquals(2, pool.freeDirect(160));
        assertEquals(0, pool.freeDirect(512));
        ByteBuffer again = pool.takeDirect(160);
        assertSame(y, again);
        assertSame(x, pool.takeDirect(160));
        assertEquals(0, x.position(), "a reused buffer comes cleared");
        assertNotSame(r, pool.takeDirect(160));
        assertEquals(4 + 1, pool.directAllocated());
        assertEquals(2, pool.directReused());
    }

    @Test
    void shouldLendAConcealerThatConcealsLikeANewOne() {
        MediaBuffers pool = new MediaBuffers(4);
        MediaBuffers.Concealer c = pool.takeConcealer();
        short[] loud = new short[80];
        java.util.Arrays.fill(loud, (short) 8000);
        for (int i = 0; i < 8; i++) {
            c.plc.goodFrame(loud.clone(), 0, 80);
        }
        pool.giveConcealer(c);
        MediaBuffers.Concealer again = pool.takeConcealer();
        assertSame(c, again);
        short[] reused = new short[80];
        again.plc.lostFrame(reused, 0, 80);
        short[] fresh = new short[80];
        new org.tandem.codecs.plc.PacketLossConcealer().lostFrame(fresh, 0, 80);
        assertEquals(java.util.Arrays.toString(fresh), java.util.Arrays.toString(reused),
                "a reused concealer replayed the last stream's audio");
        assertEquals(1, pool.concealersLent());
        assertEquals(1, pool.concealersAllocated());
    }

    @Test
    void shouldKeepAConcealerPerChannelUpAndAtLeastSixteen() {
        MediaBuffers pool = new MediaBuffers();
        for (int i = 0; i < 200; i++) {
            pool.channelOpened();
        }
        MediaBuffers.Concealer[] lent = new MediaBuffers.Concealer[200];
        for (int i = 0; i < lent.length; i++) {
            lent[i] = pool.takeConcealer(); // every call conceals at once (their peers stopped)
        }
        for (int i = 0; i < 100; i++) {
            pool.giveConcealer(lent[i]);
        }
        assertEquals(100, pool.freeConcealers(), "200 channels up: every one handed back is kept");
        assertEquals(lent[99], pool.takeConcealer(), "a loss starting now takes a free one");
        pool.giveConcealer(lent[99]);
        for (int i = 0; i < 150; i++) {
            pool.channelClosed();
        }
        assertEquals(0, pool.freeConcealers(), "50 channels up, 100 lent: none kept free");
        for (int i = 100; i < lent.length; i++) {
            pool.giveConcealer(lent[i]);
        }
        assertEquals(50, pool.freeConcealers(), "one per channel up");
        for (int i = 0; i < 50; i++) {
            pool.channelClosed();
        }
        assertEquals(MediaBuffers.MIN_FREE_CONCEALERS, pool.freeConcealers(), "no channel: the minimum");
        assertEquals(0, pool.concealersLent());
        MediaBuffers idle = new MediaBuffers();
        MediaBuffers.Concealer[] few = new MediaBuffers.Concealer[20];
        for (int i = 0; i < few.length; i++) {
            few[i] = idle.takeConcealer();
        }
        for (MediaBuffers.Concealer c : few) {
            idle.giveConcealer(c);
        }
        assertEquals(MediaBuffers.MIN_FREE_CONCEALERS, idle.freeConcealers());
    }
}
