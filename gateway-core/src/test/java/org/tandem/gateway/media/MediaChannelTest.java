package org.tandem.gateway.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.rtp.RtpPortAllocator;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.tdm.TdmLaw;
import org.tandem.testing.net.FreePorts;
import org.tandem.testing.tdm.MemoryBChannel;

/**
 * One channel driven by the test thread, agent style: the test is the clock (20 ms per block)
 * and calls the channel's readiness methods itself. Sockets are real (loopback).
 */
class MediaChannelTest {
    private static final long BLOCK_NS = 20_000_000L;
    private RtpPortAllocator allocator;
    private RtpPorts ports;
    private RtpPeer peer;
    private final MemoryBChannel bchannel = MemoryBChannel.recording();
    private final ByteBuffer rx = ByteBuffer.allocateDirect(2048);
    private long now = 1_000_000_000L;
    private MediaChannel channel;
    private final MediaListener quiet = new MediaListener() {
        @Override
        public void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan) {
        }

        @Override
        public void onRtpTimeout(MediaHandle handle, long silentMs) {
        }

        @Override
        public void onChannelLost(MediaHandle handle) {
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        int base = FreePorts.range(4);
        allocator = new RtpPortAllocator(FreePorts.LOOPBACK, base, base + 3, 0);
        ports = allocator.allocate();
        peer = new RtpPeer(MediaSessionSpec.PT_PCMA);
        peer.target(new InetSocketAddress(FreePorts.LOOPBACK, ports.rtpPort()));
    }

    @AfterEach
    void tearDown() throws IOException {
        ports.close();
        peer.close();
        assertEquals(0, allocator.inUseCount());
    }

    private void open(int ptimeMs) throws IOException {
        MediaConfig config = new MediaConfig(FreePorts.LOOPBACK, 20000, 20099, 0, 40, 200, 1, 0);
        channel = MediaChannel.open(new MediaSessionSpec("t", bchannel, TdmLaw.ALAW, ports, peer.address(),
                MediaSessionSpec.PT_PCMA, -1, ptimeMs, MediaDirection.SENDRECV), quiet, config, now, 1);
    }

    private static byte[] block(int fill) {
        byte[] b = new byte[160];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (fill + i);
        }
        return b;
    }

    /** Waits (bounded) until the peer has {@code n} packets; loopback delivery is not instant. */
    private void awaitPeer(int n) throws IOException {
        for (int i = 0; i < 200 && peer.received.size() < n; i++) {
            peer.drain();
            if (peer.received.size() < n) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Lets the channel read what the peer sent (bounded wait for loopback delivery). */
    private int receive(int expected) {
        int got = 0;
        for (int i = 0; i < 200 && got < expected; i++) {
            got += channel.onRtpReadable(now, rx);
            if (got < expected) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        return got;
    }

    @Test
    void shouldSplitA20msBlockIntoTwo10msPackets() throws IOException {
        open(10);
        byte[] b = block(0);
        bchannel.toRead.add(b);
        channel.onTdmReadable(now);
        awaitPeer(2);
        assertEquals(2, peer.received.size());
        RtpPeer.Received first = peer.received.get(0);
        RtpPeer.Received second = peer.received.get(1);
        assertEquals(80, first.payload().length);
        assertEquals(80, second.timestamp() - first.timestamp());
        assertEquals(1, (second.sequence() - first.sequence()) & 0xFFFF);
        assertTrue(first.marker(), "first packet of the stream starts a talkspurt");
        assertArrayEquals(Arrays.copyOfRange(b, 0, 80), first.payload(), "A-law passes as is");
        assertArrayEquals(Arrays.copyOfRange(b, 80, 160), second.payload());
    }

    @Test
    void shouldAggregateThree20msBlocksIntoTwo30msPackets() throws IOException {
        open(30);
        byte[] all = new byte[480];
        for (int k = 0; k < 3; k++) {
            byte[] b = block(k * 50);
            System.arraycopy(b, 0, all, k * 160, 160);
            bchannel.toRead.add(b);
            channel.onTdmReadable(now);
            now += BLOCK_NS;
        }
        awaitPeer(2);
        assertEquals(2, peer.received.size());
        assertEquals(240, peer.received.get(0).payload().length);
        assertEquals(240, peer.received.get(1).timestamp() - peer.received.get(0).timestamp());
        assertArrayEquals(Arrays.copyOfRange(all, 0, 240), peer.received.get(0).payload());
        assertArrayEquals(Arrays.copyOfRange(all, 240, 480), peer.received.get(1).payload());
        assertEquals(3, bchannel.written.size() - 1, "one block back per block read, after the primed one");
    }

    /**
     * The agent's two halves of a loop turn (MediaAgent): reading a block sends its RTP at once
     * and only owes the span its block; the owed writes come later, one per block read, and a
     * backlog is read one block per readiness event.
     */
    @Test
    void shouldSendAtOnceAndWriteTheOwedBlocksOnlyWhenAsked() throws IOException {
        open(20);
        bchannel.toRead.add(block(1));
        bchannel.toRead.add(block(2));
        assertEquals(1, channel.readBlocks(now, 1), "one block per readiness event");
        awaitPeer(1);
        assertEquals(1, peer.received.size(), "the RTP packet left with the read");
        assertArrayEquals(block(1), peer.received.get(0).payload());
        assertEquals(1, bchannel.written.size(), "only the primed idle block: the answer is owed");
        assertEquals(1, bchannel.toRead.size(), "the second block waits for the next readiness event");

        assertEquals(1, channel.readBlocks(now, 1));
        assertEquals(0, channel.readBlocks(now, 1), "nothing left: WOULD_BLOCK, no block counted");
        channel.writeOwedBlocks(now);
        assertEquals(1 + 2, bchannel.written.size(), "one block back per block read");
        channel.writeOwedBlocks(now);
        assertEquals(1 + 2, bchannel.written.size(), "nothing is owed twice");
        awaitPeer(2);
        assertArrayEquals(block(2), peer.received.get(1).payload());
        channel.detach(now);
    }

    @Test
    void shouldFollowANewSsrcOnlyWhenItPersists() throws IOException {
        open(20);
        byte[] audio = block(0x10);
        for (int i = 0; i < 10; i++) {
            peer.sendAudio(audio, i == 0);
        }
        assertEquals(10, receive(10));
        // a stray SSRC from the latched address (the socket is connected to the peer now, so
        // the kernel drops other sources): a few packets are dropped and counted
        ByteBuffer stray = ByteBuffer.allocate(172);
        for (int i = 0; i < 5; i++) {
            org.tandem.gateway.rtp.RtpPacket.writeHeader(stray, 0, false, 8, 500 + i, 99_000 + 160 * i, 0x0BAD);
            peer.rtp.send(stray.clear(), new InetSocketAddress(FreePorts.LOOPBACK, ports.rtpPort()));
        }
        assertEquals(5, receive(5));
        assertEquals(5, channel.stats().notOurs());
        // the same new SSRC keeps coming: after 10 in a row the channel follows it
        for (int i = 5; i < 25; i++) {
            org.tandem.gateway.rtp.RtpPacket.writeHeader(stray, 0, false, 8, 500 + i, 99_000 + 160 * i, 0x0BAD);
            peer.rtp.send(stray.clear(), new InetSocketAddress(FreePorts.LOOPBACK, ports.rtpPort()));
        }
        assertEquals(20, receive(20));
        MediaStats stats = channel.stats();
        assertEquals(5 + 4, stats.notOurs(), "packets 6..9 of the new SSRC are still dropped, the 10th switches");
        assertTrue(stats.packetsReceived() >= 10 + 16, "received " + stats.packetsReceived());
        channel.detach(now);
    }
}
