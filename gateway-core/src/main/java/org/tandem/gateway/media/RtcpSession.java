package org.tandem.gateway.media;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.rtp.NtpTime;
import org.tandem.gateway.rtp.RtcpDecoder;
import org.tandem.gateway.rtp.RtcpEncoder;
import org.tandem.gateway.rtp.RtcpInterval;
import org.tandem.gateway.rtp.RtcpReport;

/**
 * One call's RTCP (RFC 3550 section 6): the peer's reports in (its SR time for our LSR/DLSR, its
 * report block about us: fraction lost, jitter, round-trip time), ours out on the randomised
 * interval (RFC 3550 section 6.3, A.7) and the BYE at detach. Reports describe the streams of
 * {@link SpanToRtp} (SR) and {@link RtpToSpan} (report block).
 *
 * <p>Runs on the owning {@link MediaChannel}'s thread (its agent's event loop); the interval is
 * checked on the span's clock. Owns the RTCP buffer, the decoded report, the interval timer, the
 * CNAME and the peer's view of the call.
 */
final class RtcpSession {
    /** The channel's logger: these lines were MediaChannel's before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(MediaChannel.class);

    private final String callId;
    private final SymmetricRtp peer;
    private final Socket rtcpSocket;
    private final SpanToRtp sender;
    private final RtpToSpan receiver;
    private final int ssrc;
    private final long ntpOffsetNs;
    static final int RTCP_OUT_BYTES = 512;

    private final ByteBuffer rtcpOut;
    private final long rtcpOutAddress;
    /** The agent's: a packet is decoded into it and read before the next (MediaBuffers). */
    private final RtcpReport rtcpReport;
    private final RtcpInterval rtcpInterval;
    private final byte[] cname;

    private long nextRtcpNs;
    private int lastSrMiddle;
    private long lastSrArrivalNs;

    private long rtcpGarbage;
    private long rttNs = -1;
    private int remoteFraction = -1;
    private long remoteJitter = -1;

    RtcpSession(String callId, SymmetricRtp peer, SpanToRtp sender, RtpToSpan receiver, long ntpOffsetNs,
                long intervalSeed, long nowNs, MediaBuffers buffers) {
        this.callId = callId;
        this.peer = peer;
        this.rtcpSocket = peer.rtcpSocket();
        this.sender = sender;
        this.receiver = receiver;
        this.ssrc = sender.ssrc();
        this.ntpOffsetNs = ntpOffsetNs;
        this.rtcpOut = buffers.takeDirect(RTCP_OUT_BYTES);
        this.rtcpReport = buffers.rtcpReport();
        this.rtcpOutAddress = Pointer.nativeValue(Native.getDirectBufferPointer(rtcpOut));
        this.rtcpInterval = new RtcpInterval(intervalSeed);
        this.nextRtcpNs = nowNs + rtcpInterval.nextNs(true);
        this.cname = ("tandem-" + Integer.toHexString(ssrc) + "@" + callId).getBytes(StandardCharsets.US_ASCII);
    }

    int onRtcpReadable(long nowNs, ByteBuffer rx, int maxPackets) {
        int count = 0;
        while (count < maxPackets) {
            int n;
            InetSocketAddress source = null;
            try {
                if (peer.rtcpLatched()) {
                    n = rtcpSocket.recv(rx, 0, rx.capacity());
                } else {
                    DatagramSocketAddress from = rtcpSocket.recvFrom(rx, 0, rx.capacity());
                    n = from == null ? 0 : from.receivedAmount();
                    source = from;
                }
            } catch (IOException e) {
                rtcpGarbage++;
                count++;
                continue;
            }
            if (n == 0) {
                break;
            }
            count++;
            if (n < 0) {
                rtcpGarbage++;
                continue;
            }
            onRtcpPacket(rx, n, source, nowNs);
        }
        return count;
    }

    void onRtcpPacket(ByteBuffer rx, int n, InetSocketAddress source, long nowNs) {
        n = peer.srtp().unprotectRtcp(rx, n);
        if (n < 0) {
            return; // counted by the SRTP stage
        }
        if (RtcpDecoder.decode(rx, 0, n, rtcpReport) != RtcpDecoder.VALID) {
            rtcpGarbage++;
            return;
        }
        if (receiver.ssrcLocked() && rtcpReport.senderSsrc != receiver.remoteSsrc()) {
            rtcpGarbage++;
            return;
        }
        if (!peer.rtcpLatched() && source != null) {
            peer.latchRtcp(source);
        }
        if (rtcpReport.hasSenderInfo) {
            lastSrMiddle = NtpTime.middle32(rtcpReport.ntpTimestamp);
            lastSrArrivalNs = nowNs;
        }
        int b = rtcpReport.blockFor(ssrc);
        if (b >= 0) {
            remoteFraction = rtcpReport.fractionLost[b];
            remoteJitter = rtcpReport.jitter[b];
            long rtt = NtpTime.roundTripNanos(NtpTime.middle32(NtpTime.fromEpochNanos(nowNs + ntpOffsetNs)),
                    rtcpReport.lastSr[b], rtcpReport.delaySinceLastSr[b]);
            if (rtt >= 0) {
                rttNs = rtt;
            }
        }
    }

    /** On the span's clock: the report, when its interval is up. */
    void onTimer(long nowNs) {
        if (nowNs - nextRtcpNs >= 0) {
            sendRtcp(nowNs, false);
            nextRtcpNs = nowNs + rtcpInterval.nextNs(false);
        }
    }

    /** Compound SR or RR + SDES CNAME (RFC 3550 section 6.1), plus BYE when leaving. */
    void sendRtcp(long nowNs, boolean bye) {
        int lsr = 0;
        int dlsr = 0;
        if (lastSrArrivalNs != 0) {
            lsr = lastSrMiddle;
            dlsr = (int) NtpTime.nanosToShort(nowNs - lastSrArrivalNs);
        }
        int len;
        int remoteSsrc = receiver.remoteSsrc();
        if (sender.takeSentSinceReport()) {
            long ntp = NtpTime.fromEpochNanos(nowNs + ntpOffsetNs);
            len = RtcpEncoder.writeSenderReport(rtcpOut, 0, ssrc, ntp, sender.rtpTimestamp(), sender.packetsSent(),
                    sender.octetsSent(), remoteSsrc, receiver.receiveStats(), lsr, dlsr);
        } else {
            len = RtcpEncoder.writeReceiverReport(rtcpOut, 0, ssrc, remoteSsrc, receiver.receiveStats(), lsr, dlsr);
        }
        len += RtcpEncoder.writeSdesCname(rtcpOut, len, ssrc, cname);
        if (bye) {
            len += RtcpEncoder.writeBye(rtcpOut, len, ssrc);
        }
        try {
            int sent = peer.sendRtcp(rtcpOut, rtcpOutAddress, len);
            if (sent < 0 && LOG.isDebugEnabled()) {
                LOG.debug("call {}: RTCP send to {} failed: errno {}", callId, peer.remoteRtcp(), -sent);
            }
        } catch (IOException e) {
            LOG.debug("call {}: RTCP send to {} failed: {}", callId, peer.remoteRtcp(), e.toString());
        }
    }

    /** The report buffer, for the agent's free list once the channel is detached (MediaChannel.releaseBuffers). */
    ByteBuffer releaseBuffer() {
        return rtcpOut;
    }

    // ------------------------------------------------------------------ for statistics

    long rtcpGarbage() {
        return rtcpGarbage;
    }

    /** Round-trip time from the peer's report block, -1 until known. */
    long rttNs() {
        return rttNs;
    }

    /** The peer's fraction lost (of 256) about our stream, -1 until reported. */
    int remoteFraction() {
        return remoteFraction;
    }

    /** The peer's interarrival jitter (RTP units) about our stream, -1 until reported. */
    long remoteJitter() {
        return remoteJitter;
    }
}
