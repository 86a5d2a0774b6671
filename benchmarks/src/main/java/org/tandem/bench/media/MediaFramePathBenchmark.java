package org.tandem.bench.media;

import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.tandem.bench.AbstractBenchmark;
import org.tandem.gateway.media.MediaChannel;
import org.tandem.gateway.media.MediaConfig;
import org.tandem.gateway.media.MediaDirection;
import org.tandem.gateway.media.MediaSessionSpec;
import org.tandem.gateway.rtp.RtpPacket;
import org.tandem.gateway.rtp.RtpPortAllocator;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.gateway.sdp.SrtpKeys;
import org.tandem.gateway.srtp.SrtpContext;
import org.tandem.gateway.srtp.SrtpProfile;
import org.tandem.tdm.TdmLaw;
import org.tandem.testing.tdm.MemoryBChannel;

/**
 * One channel's per-frame path, on the benchmark thread, with real loopback sockets. One
 * operation is 20 ms of one call: a peer sends one RTP packet, the channel receives it (validation,
 * RFC 3550 statistics, jitter buffer); one TDM block arrives and the channel sends its RTP packet
 * and writes one block pulled from the jitter buffer to the span; the peer reads the packet.
 * Three syscalls of the four are the channel's own (recv, send, and the span write is in memory).
 * The clock advances 20 ms per operation, so RTCP reports go out every ~5 simulated seconds as in
 * a real call. {@code payloadType} 8 is A-law both sides (plain copy), 0 is mu-law on the SIP side
 * (transcoded both ways). Run with {@code -prof gc}: B/op is the point.
 */
public class MediaFramePathBenchmark extends AbstractBenchmark {
    @Param({"8", "0"})
    public int payloadType;

    @Param({"-1", "101"})
    public int telephoneEventPt;

    /**
     * false: the peer never sends (RTP and RTCP stay unlatched, every packet goes out with
     * sendto to the SDP address): the path of a call before the peer's first packet.
     */
    @Param({"true"})
    public boolean peerSends;

    /**
     * true: the call is SRTP (AES_CM_128_HMAC_SHA1_80, SDES keys): the peer protects what it
     * sends and unprotects what it reads, with the gateway's own {@code SrtpContext} (the
     * peer's cost is inside the figure too: two protects and two unprotects per operation).
     */
    @Param({"false"})
    public boolean srtp;

    private RtpPorts ports;
    private MemoryBChannel bchannel;
    private MediaChannel channel;
    private Socket peer;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer peerTx = ByteBuffer.allocateDirect(172 + 10);
    private SrtpContext peerProtect;
    private SrtpContext peerUnprotect;
    private final ByteBuffer peerRx = ByteBuffer.allocateDirect(2048);
    private long nowNs;
    private int seq;
    private int ts;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        RtpPortAllocator allocator = new RtpPortAllocator(lo, 41000, 41999, 46);
        ports = allocator.allocate();
        peer = Socket.newSocketDgram();
        peer.bind(new InetSocketAddress(lo, 0));
        peer.connect(new InetSocketAddress(lo, ports.rtpPort()));
        bchannel = MemoryBChannel.counting();
        MediaConfig config = new MediaConfig(lo, 41000, 41999, 46, 40, 200, 1, 0);
        SrtpKeys keys = null;
        if (srtp) {
            byte[] ours = new byte[SrtpProfile.KEY_SALT_LENGTH];
            byte[] theirs = new byte[SrtpProfile.KEY_SALT_LENGTH];
            new java.util.Random(7).nextBytes(ours);
            new java.util.Random(8).nextBytes(theirs);
            keys = new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, ours, theirs);
            peerProtect = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, theirs);
            peerUnprotect = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, ours);
        }
        channel = MediaChannel.open(new MediaSessionSpec("bench", bchannel, TdmLaw.ALAW, ports,
                peer.localAddress(), payloadType, telephoneEventPt, 20, MediaDirection.SENDRECV, keys),
                NoEvents.INSTANCE, config, 0, 42);
        for (int i = 0; i < 160; i++) {
            peerTx.put(12 + i, (byte) (0x80 | (i * 5 & 0x7F)));
        }
        // Warm the channel up: the first packets latch symmetric RTP and start the jitter buffer.
        for (int i = 0; i < 50; i++) {
            frame();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        org.tandem.gateway.media.MediaStats st = channel.detach(nowNs);
        if (srtp && (st.srtpAuthenticated() == 0 || st.srtpFailed() != 0 || peerUnprotect.authenticated() == 0
                || peerUnprotect.authFailures() != 0)) {
            throw new IllegalStateException("SRTP did not verify both ways: " + st + ", peer authenticated "
                    + peerUnprotect.authenticated() + ", failed " + peerUnprotect.authFailures());
        }
        ports.close();
        peer.close();
    }

    private void sendFromPeer() throws IOException {
        RtpPacket.writeHeader(peerTx, 0, false, payloadType, seq++ & 0xFFFF, ts, 0x5EED);
        ts += 160;
        int n = 172;
        if (peerProtect != null) {
            for (int i = 0; i < 160; i++) { // the payload was encrypted in place last time
                peerTx.put(12 + i, (byte) (0x80 | (i * 5 & 0x7F)));
            }
            n = peerProtect.protectRtp(peerTx, 172);
        }
        peer.send(peerTx, 0, n);
    }

    @Benchmark
    public int frame() throws IOException {
        nowNs += 20_000_000L;
        if (peerSends) {
            sendFromPeer();
            channel.onRtpReadable(nowNs, rx);
        }
        bchannel.arrive();
        int blocks = channel.onTdmReadable(nowNs);
        int n = peer.recv(peerRx, 0, peerRx.capacity());
        if (peerUnprotect != null && n > 0 && (peerRx.get(1) & 0x7F) < 72) { // RTP, not an SRTCP report
            n = peerUnprotect.unprotectRtp(peerRx, n);
        }
        return blocks + n;
    }
}
