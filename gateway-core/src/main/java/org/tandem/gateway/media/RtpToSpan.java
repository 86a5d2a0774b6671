package org.tandem.gateway.media;

import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.tandem.gateway.rtp.JitterBuffer;
import org.tandem.gateway.rtp.RtpPacket;
import org.tandem.gateway.rtp.RtpReceiveStatistics;
import org.tandem.gateway.rtp.TelephoneEvent;
import org.tandem.tdm.TdmLaw;

/**
 * RTP -> span. Receive side: each datagram on the RTP socket is validated, checked against the
 * payload types and the peer's SSRC, counted (RFC 3550 A.1, A.8) and put into the
 * {@link JitterBuffer} (audio) or {@link DtmfToSpan} (telephone-event); the first valid one
 * latches symmetric RTP. Playout side: once per block read from the span, one block is pulled
 * from the jitter buffer slot by slot (law conversion, {@link ConcealmentStage} for a missing
 * slot, the idle code when nothing is received) with received digits played over it.
 *
 * <p>Runs on the owning {@link MediaChannel}'s thread (its agent's event loop), on the per-packet
 * and per-block paths: no allocation, no locks. Owns the jitter buffer, the receive statistics,
 * the SSRC lock, the RTP timeout and the receive counters.
 */
final class RtpToSpan {
    /** Wrong-SSRC packets in a row from the latched address after which we follow the new SSRC. */
    static final int SSRC_SWITCH_AFTER = 10;

    private final MediaHandle handle;
    private final MediaListener listener;
    private final SymmetricRtp peer;
    private final SrtpStage srtp;
    private final Socket rtpSocket;
    private final TdmLaw tdmLaw;
    private final TdmLaw rtpLaw;
    private final int payloadType;
    private final int tePt;
    private final int blockSize;
    private final byte tdmIdle;
    private final long rtpTimeoutNs;

    private final byte[] slot = new byte[JitterBuffer.SLOT_SAMPLES];
    private final JitterBuffer jitterBuffer;
    private final RtpReceiveStatistics receiveStats = new RtpReceiveStatistics();
    private final RtpPacket packet = new RtpPacket();
    private final ConcealmentStage concealer;
    private final DtmfToSpan dtmfIn;

    private boolean receiving;
    private boolean ssrcLocked;
    private int remoteSsrc;
    private int wrongSsrcRun;
    private int wrongSsrcCandidate;
    private long lastRtpNs;
    private boolean timeoutRaised;

    private long packetsReceived;
    private long octetsReceived;
    private long notOurs;
    private long concealedFrames;

    RtpToSpan(MediaHandle handle, MediaListener listener, MediaSessionSpec spec, SymmetricRtp peer, int blockSize,
              int jitterMinMs, int jitterMaxMs, long rtpTimeoutNs, long nowNs, MediaBuffers buffers) {
        this.handle = handle;
        this.listener = listener;
        this.peer = peer;
        this.srtp = peer.srtp();
        this.rtpSocket = peer.rtpSocket();
        this.tdmLaw = spec.tdmLaw();
        this.rtpLaw = spec.rtpLaw();
        this.payloadType = spec.payloadType();
        this.tePt = spec.telephoneEventPt();
        this.blockSize = blockSize;
        this.tdmIdle = G711Audio.idleCode(tdmLaw);
        this.rtpTimeoutNs = rtpTimeoutNs;
        this.jitterBuffer = new JitterBuffer(blockSize, jitterMinMs, jitterMaxMs, G711Audio.magnitudeTable(rtpLaw));
        this.concealer = new ConcealmentStage(tdmLaw, buffers);
        this.dtmfIn = new DtmfToSpan(tdmLaw);
        this.receiving = spec.direction().receives();
        this.lastRtpNs = nowNs;
    }

    // ------------------------------------------------------------------ RTP in

    /** Reads up to {@code maxPackets} datagrams (empty ones and errors count too). */
    int onRtpReadable(long nowNs, ByteBuffer rx, int maxPackets) {
        int count = 0;
        while (count < maxPackets) {
            int n;
            InetSocketAddress source = null;
            try {
                if (peer.rtpLatched()) {
                    n = rtpSocket.recv(rx, 0, rx.capacity());
                    if (n == -1) { // an empty datagram
                        notOurs++;
                        count++;
                        continue;
                    }
                } else {
                    DatagramSocketAddress from = rtpSocket.recvFrom(rx, 0, rx.capacity());
                    if (from == null) {
                        n = 0;
                    } else {
                        n = from.receivedAmount();
                        source = from;
                    }
                }
            } catch (IOException e) {
                notOurs++; // e.g. ECONNREFUSED queued by an ICMP error
                count++;
                continue;
            }
            if (n <= 0) {
                break;
            }
            count++;
            onRtpPacket(rx, n, source, nowNs);
        }
        return count;
    }

    /** One datagram at rx[0..n); {@code source} is null once latched. Visible for benchmarks. */
    void onRtpPacket(ByteBuffer rx, int n, InetSocketAddress source, long nowNs) {
        n = srtp.unprotectRtp(rx, n); // before anything else: only authenticated packets count or latch
        if (n < 0) {
            return; // counted by the SRTP stage
        }
        packet.wrap(rx, 0, n);
        if (packet.validate() != RtpPacket.VALID) {
            notOurs++;
            return;
        }
        int pt = packet.payloadType();
        if (pt != payloadType && (pt != tePt || tePt < 0)) {
            notOurs++;
            return;
        }
        int packetSsrc = packet.ssrc();
        if (ssrcLocked && packetSsrc != remoteSsrc) {
            // A peer may change SSRC (RFC 3550 section 8.2: collision; or a re-INVITE to another
            // endpoint behind the same address). Follow it only when it persists.
            if (packetSsrc == wrongSsrcCandidate) {
                wrongSsrcRun++;
            } else {
                wrongSsrcCandidate = packetSsrc;
                wrongSsrcRun = 1;
            }
            if (wrongSsrcRun < SSRC_SWITCH_AFTER) {
                notOurs++;
                return;
            }
            receiveStats.reset();
        }
        wrongSsrcRun = 0;
        if (!peer.rtpLatched() && source != null) {
            peer.latchRtp(source);
        }
        ssrcLocked = true;
        remoteSsrc = packetSsrc;
        lastRtpNs = nowNs;
        timeoutRaised = false;
        int st = receiveStats.update(packet.sequenceNumber(), packet.timestamp(), nowNs / 125_000L);
        if (st == RtpReceiveStatistics.BAD_SEQUENCE) {
            notOurs++;
            return;
        }
        packetsReceived++;
        octetsReceived += packet.payloadLength();
        if (!receiving) {
            return;
        }
        if (pt == tePt) {
            if (packet.payloadLength() >= TelephoneEvent.LENGTH) {
                dtmfIn.onEvent(rx, packet.payloadIndex(), packet.timestamp());
            }
            return;
        }
        jitterBuffer.insert(packetSsrc, packet.timestamp(), packet.marker(), rx, packet.payloadIndex(),
                packet.payloadLength());
    }

    // ------------------------------------------------------------------ playout (span clock)

    /** Fills {@code tdmOut[0..blockSize)} with the block owed to the span (the caller writes it). */
    void fillBlock(ByteBuffer tdmOut) {
        int slots = blockSize / JitterBuffer.SLOT_SAMPLES;
        for (int s = 0; s < slots; s++) {
            int off = s * JitterBuffer.SLOT_SAMPLES;
            int st = receiving ? jitterBuffer.pull(slot, 0) : JitterBuffer.IDLE;
            if (st == JitterBuffer.AUDIO) {
                G711Audio.convert(rtpLaw, slot, 0, tdmLaw, tdmOut, off, JitterBuffer.SLOT_SAMPLES);
                concealer.good(tdmOut, off);
            } else if (st == JitterBuffer.MISSING) {
                concealer.conceal(tdmOut, off);
                concealedFrames++;
            } else {
                for (int i = 0; i < JitterBuffer.SLOT_SAMPLES; i++) {
                    tdmOut.put(off + i, tdmIdle);
                }
                concealer.reset();
            }
        }
        int digitEnded = dtmfIn.render(tdmOut, 0, blockSize);
        if (digitEnded >= 0) {
            listener.onDtmf(handle, TelephoneEvent.digitOfEvent(digitEnded), dtmfIn.lastDurationMs(), false);
        }
    }

    /** The RTP timeout, checked on the span's clock: raised once per silence. */
    void checkTimeout(long nowNs) {
        if (receiving && !timeoutRaised && rtpTimeoutNs > 0 && nowNs - lastRtpNs > rtpTimeoutNs) {
            timeoutRaised = true;
            listener.onRtpTimeout(handle, (nowNs - lastRtpNs) / 1_000_000L);
        }
    }

    // ------------------------------------------------------------------ commands (agent thread)

    /** Hold/resume: a stream that starts receiving again gets a fresh timeout and an empty buffer. */
    void setReceiving(boolean receives, long nowNs) {
        if (!receiving && receives) {
            lastRtpNs = nowNs; // a resumed stream gets a fresh timeout
            timeoutRaised = false;
            jitterBuffer.reset();
        }
        receiving = receives;
    }

    /** A new peer address (re-INVITE): the next valid packet locks its SSRC afresh. */
    void forgetSource() {
        ssrcLocked = false;
        receiveStats.reset();
        jitterBuffer.reset();
    }

    /** Plays a digit in-band to the span (SIP INFO or a digit from call control). */
    boolean playDigit(char digit, int durationMs) {
        int event = TelephoneEvent.eventOfDigit(digit);
        if (event < 0) {
            return false;
        }
        dtmfIn.playDigit(event, durationMs);
        return true;
    }

    /** Detached: a borrowed concealer goes back to the agent (MediaChannel.releaseBuffers). */
    void release() {
        concealer.release();
    }

    // ------------------------------------------------------------------ for RTCP and statistics

    /** True once a valid packet locked the peer's SSRC ({@link #remoteSsrc}). */
    boolean ssrcLocked() {
        return ssrcLocked;
    }

    int remoteSsrc() {
        return remoteSsrc;
    }

    RtpReceiveStatistics receiveStats() {
        return receiveStats;
    }

    JitterBuffer jitterBuffer() {
        return jitterBuffer;
    }

    long packetsReceived() {
        return packetsReceived;
    }

    long octetsReceived() {
        return octetsReceived;
    }

    long notOurs() {
        return notOurs;
    }

    long concealedFrames() {
        return concealedFrames;
    }

    int digitsReceived() {
        return dtmfIn.digits();
    }
}
