package org.tandem.gateway.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.tandem.gateway.rtp.RtcpDecoder;
import org.tandem.gateway.rtp.RtcpEncoder;
import org.tandem.gateway.rtp.RtcpReport;
import org.tandem.gateway.rtp.RtpPacket;
import org.tandem.gateway.rtp.TelephoneEvent;
import org.tandem.testing.net.FreePorts;

/**
 * A scripted SIP-side RTP endpoint on loopback, driven by the test thread: it sends what it is
 * told and keeps every packet it receives. Binds an even/odd pair so it can answer RTCP.
 */
final class RtpPeer implements AutoCloseable {
    record Received(long atNs, int payloadType, boolean marker, int sequence, int timestamp, int ssrc,
                    byte[] payload) {
    }

    final DatagramChannel rtp;
    final DatagramChannel rtcp;
    private final ByteBuffer tx = ByteBuffer.allocate(1500);
    private final ByteBuffer rx = ByteBuffer.allocate(1500);
    private final int ssrc = 0x5EED0001;
    private final int payloadType;
    private int sequence = 1000;
    private int timestamp = 90_000;
    private volatile SocketAddress target;
    final List<Received> received = new ArrayList<>();
    final RtcpReport lastRtcp = new RtcpReport();
    int rtcpReceived;
    int rtcpSenderReports;

    RtpPeer(int payloadType) throws IOException {
        this.payloadType = payloadType;
        int base = FreePorts.range(2);
        rtp = DatagramChannel.open().bind(new InetSocketAddress(FreePorts.LOOPBACK, base));
        rtcp = DatagramChannel.open().bind(new InetSocketAddress(FreePorts.LOOPBACK, base + 1));
        rtp.configureBlocking(false);
        rtcp.configureBlocking(false);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) rtp.getLocalAddress();
    }

    void target(SocketAddress gatewayRtp) {
        this.target = gatewayRtp;
    }

    int ssrc() {
        return ssrc;
    }

    /** Sends one audio packet and advances the timestamp by its length. */
    void sendAudio(byte[] payload, boolean marker) throws IOException {
        tx.clear();
        RtpPacket.writeHeader(tx, 0, marker, payloadType, sequence++ & 0xFFFF, timestamp, ssrc);
        tx.put(12, payload);
        tx.limit(12 + payload.length);
        rtp.send(tx, target);
        timestamp += payload.length;
    }

    /** A packet lost on the way: its sequence number and timestamp are used up, nothing is sent. */
    void skipAudio(int samples) {
        sequence++;
        timestamp += samples;
    }

    /** Sends one RFC 4733 packet; the timestamp is the event's start. */
    void sendEvent(int pt, int event, boolean end, int duration, int eventTimestamp, boolean marker)
            throws IOException {
        tx.clear();
        RtpPacket.writeHeader(tx, 0, marker, pt, sequence++ & 0xFFFF, eventTimestamp, ssrc);
        TelephoneEvent.write(tx, 12, event, end, 10, duration);
        tx.limit(16);
        rtp.send(tx, target);
    }

    /** Advances the audio clock without sending (the event occupies this interval). */
    void skip(int samples) {
        timestamp += samples;
    }

    int timestamp() {
        return timestamp;
    }

    /** Reads whatever arrived, RTP and RTCP; answers an SR with an RR carrying LSR/DLSR. */
    void drain() throws IOException {
        while (true) {
            rx.clear();
            if (rtp.receive(rx) == null) {
                break;
            }
            rx.flip();
            RtpPacket p = new RtpPacket().wrap(rx, 0, rx.limit());
            if (p.validate() != RtpPacket.VALID) {
                continue;
            }
            byte[] payload = new byte[p.payloadLength()];
            rx.get(p.payloadIndex(), payload);
            received.add(new Received(System.nanoTime(), p.payloadType(), p.marker(), p.sequenceNumber(),
                    p.timestamp(), p.ssrc(), payload));
        }
        while (true) {
            rx.clear();
            SocketAddress from = rtcp.receive(rx);
            if (from == null) {
                break;
            }
            rx.flip();
            if (RtcpDecoder.decode(rx, 0, rx.limit(), lastRtcp) != RtcpDecoder.VALID) {
                continue;
            }
            rtcpReceived++;
            if (lastRtcp.hasSenderInfo) {
                rtcpSenderReports++;
                // Answer at once with DLSR 0.25 s: the gateway's RTT is then about -0.25 s + RTT,
                // so pretend we held it: LSR = middle 32 of its NTP, DLSR = 0 (loopback RTT ~0).
                ByteBuffer rr = ByteBuffer.allocate(64);
                int lsr = (int) (lastRtcp.ntpTimestamp >>> 16);
                int len = writeRr(rr, lastRtcp.senderSsrc, lsr);
                rr.limit(len);
                rtcp.send(rr, from);
            }
        }
    }

    private int writeRr(ByteBuffer b, int sourceSsrc, int lsr) {
        b.put(0, (byte) 0x81);
        b.put(1, (byte) RtcpDecoder.PT_RR);
        b.putShort(2, (short) 7);
        b.putInt(4, ssrc);
        b.putInt(8, sourceSsrc);
        b.putInt(12, 0);
        b.putInt(16, 0);
        b.putInt(20, 0);
        b.putInt(24, lsr);
        b.putInt(28, 0);
        int len = 32;
        len += RtcpEncoder.writeSdesCname(b, len, ssrc, "peer".getBytes());
        return len;
    }

    @Override
    public void close() throws IOException {
        rtp.close();
        rtcp.close();
    }
}
