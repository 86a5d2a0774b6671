package org.tandem.gateway.media;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.rtp.RtpPacket;
import org.tandem.gateway.rtp.TelephoneEvent;
import org.tandem.tdm.TdmLaw;

/**
 * Span -> RTP, once per block read from the B-channel: with telephone-event, the DTMF detector and
 * the one-block hold-back ({@link DtmfToRtp}); the law conversion; packets of ptime cut from the
 * blocks; the RTP header; the send ({@link SymmetricRtp}).
 *
 * <p>Runs on the owning {@link MediaChannel}'s thread (its agent's event loop), on the per-block
 * path: no allocation, no locks. Owns the outgoing stream (SSRC, sequence number, timestamp,
 * marker), its preallocated packet buffer and its counters (read by RTCP and the statistics).
 */
final class SpanToRtp {
    /** The channel's logger: these lines were MediaChannel's before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(MediaChannel.class);

    private final MediaHandle handle;
    private final MediaListener listener;
    private final String callId;
    private final SymmetricRtp peer;
    private final TdmLaw tdmLaw;
    private final TdmLaw rtpLaw;
    private final int payloadType;
    private final int tePt;
    private final int packetSamples;
    private final int blockSize;
    private final byte tdmIdle;

    /** The packet buffer: up to 30 ms of G.711 with its header and the SRTP tag. */
    static final int RTP_OUT_BYTES = RtpPacket.HEADER_LENGTH + 30 * MediaChannel.RTP_UNITS_PER_MS
            + SrtpStage.RTP_OVERHEAD;

    private final ByteBuffer rtpOut;
    private final long rtpOutAddress;
    private byte[] blockBytes;
    /** With telephone-event: the block read one period ago, sent now (see onBlock). */
    private byte[] heldBlock;
    private final byte[] outAcc;
    private int outAccLen;
    private final DtmfToRtp dtmfOut;

    private final int ssrc;
    private int sequence;
    private int rtpTimestamp;
    private boolean markerNext = true;
    private boolean sending;

    private long packetsSent;
    private long octetsSent;
    private boolean sentSinceReport;
    private long sendErrors;

    SpanToRtp(MediaHandle handle, MediaListener listener, MediaSessionSpec spec, SymmetricRtp peer, int blockSize,
              int ssrc, int sequence, int rtpTimestamp, MediaBuffers buffers) {
        this.handle = handle;
        this.listener = listener;
        this.callId = spec.callId();
        this.peer = peer;
        this.tdmLaw = spec.tdmLaw();
        this.rtpLaw = spec.rtpLaw();
        this.payloadType = spec.payloadType();
        this.tePt = spec.telephoneEventPt();
        this.packetSamples = spec.ptimeMs() * MediaChannel.RTP_UNITS_PER_MS;
        this.blockSize = blockSize;
        this.tdmIdle = G711Audio.idleCode(tdmLaw);
        this.rtpOut = buffers.takeDirect(RTP_OUT_BYTES);
        this.rtpOutAddress = Pointer.nativeValue(Native.getDirectBufferPointer(rtpOut));
        this.blockBytes = new byte[blockSize];
        this.heldBlock = new byte[blockSize];
        java.util.Arrays.fill(heldBlock, tdmIdle);
        this.outAcc = new byte[blockSize + packetSamples];
        this.dtmfOut = tePt >= 0 ? new DtmfToRtp(tdmLaw, packetSamples) : null;
        this.ssrc = ssrc;
        this.sequence = sequence;
        this.rtpTimestamp = rtpTimestamp;
        this.sending = spec.direction().sends();
    }

    /**
     * One block of {@code n} bytes read from the span into {@code tdmIn} (a short read is padded
     * with the idle code): the RTP due for it goes out.
     */
    void onBlock(ByteBuffer tdmIn, int n) {
        tdmIn.get(0, blockBytes, 0, Math.min(n, blockSize));
        if (n < blockSize) {
            java.util.Arrays.fill(blockBytes, n, blockSize, tdmIdle);
        }
        byte[] audio = blockBytes;
        if (dtmfOut != null) {
            // Hold each block back one period: the detector needs ~30 ms of tone to recognise a
            // digit, and the held block lets the start of the tone be suppressed too.
            int digitEnded = dtmfOut.analyse(blockBytes, 0, blockSize);
            if (dtmfOut.active()) {
                java.util.Arrays.fill(blockBytes, 0, blockSize, tdmIdle);
                java.util.Arrays.fill(heldBlock, 0, blockSize, tdmIdle);
            }
            byte[] t = heldBlock;
            heldBlock = blockBytes;
            blockBytes = t;
            audio = blockBytes; // the previous period's block goes out now
            if (digitEnded >= 0) {
                listener.onDtmf(handle, TelephoneEvent.digitOfEvent(digitEnded), dtmfOut.lastDurationMs(), true);
            }
        }
        G711Audio.convert(tdmLaw, audio, 0, rtpLaw, outAcc, outAccLen, blockSize);
        outAccLen += blockSize;
        while (outAccLen >= packetSamples) {
            if (sending) {
                if (dtmfOut != null && dtmfOut.hasPackets()) {
                    sendEvents();
                } else {
                    sendAudio(outAcc, 0);
                }
            } else if (dtmfOut != null) {
                dtmfOut.discardPackets(rtpTimestamp);
            }
            rtpTimestamp += packetSamples;
            outAccLen -= packetSamples;
            if (outAccLen > 0) {
                System.arraycopy(outAcc, packetSamples, outAcc, 0, outAccLen);
            }
        }
    }

    private void sendAudio(byte[] src, int off) {
        int h = RtpPacket.writeHeader(rtpOut, 0, markerNext, payloadType, sequence, rtpTimestamp, ssrc);
        rtpOut.put(h, src, off, packetSamples);
        if (sendRtp(h + packetSamples)) {
            markerNext = false;
            octetsSent += packetSamples;
        }
        sequence = (sequence + 1) & 0xFFFF;
    }

    /** RFC 4733 section 2.5.1: event packets replace audio for the digit's duration. */
    private void sendEvents() {
        int count = dtmfOut.packetsDue(rtpTimestamp);
        for (int i = 0; i < count; i++) {
            int h = RtpPacket.writeHeader(rtpOut, 0, dtmfOut.markerForNext(), tePt, sequence,
                    dtmfOut.eventTimestamp(), ssrc);
            int len = dtmfOut.writeNext(rtpOut, h);
            if (sendRtp(h + len)) {
                octetsSent += len;
            }
            sequence = (sequence + 1) & 0xFFFF;
        }
        markerNext = true; // audio after an event starts a new talkspurt
    }

    private boolean sendRtp(int length) {
        int sent;
        try {
            sent = peer.sendRtp(rtpOut, rtpOutAddress, length);
        } catch (IOException e) {
            sent = -1; // ICMP unreachable queued on the connected socket, a full buffer
            logSendError(e.toString());
        }
        if (sent > 0) {
            packetsSent++;
            sentSinceReport = true;
            return true;
        }
        if (sent < -1) {
            logSendError("errno " + -sent);
        }
        return false;
    }

    /** Counts, and logs the first failure (every one at DEBUG): the call goes on. */
    private void logSendError(String why) {
        sendErrors++;
        if (sendErrors == 1 || LOG.isDebugEnabled()) {
            LOG.info("call {}: RTP send to {} failed: {}", callId, peer.remoteRtp(), why);
        }
    }

    // ------------------------------------------------------------------ commands (agent thread)

    /** Hold/resume: a stream that starts sending again starts a new talkspurt. */
    void setSending(boolean sends) {
        if (!sending && sends) {
            markerNext = true;
        }
        sending = sends;
    }

    /** The next audio packet carries the marker bit (a new peer address: a new talkspurt). */
    void markNextPacket() {
        markerNext = true;
    }

    // ------------------------------------------------------------------ for RTCP and statistics

    int ssrc() {
        return ssrc;
    }

    int rtpTimestamp() {
        return rtpTimestamp;
    }

    long packetsSent() {
        return packetsSent;
    }

    long octetsSent() {
        return octetsSent;
    }

    /** True if a packet went out since the last call: the next report is then an SR. */
    boolean takeSentSinceReport() {
        boolean sent = sentSinceReport;
        sentSinceReport = false;
        return sent;
    }

    /** The packet buffer, for the agent's free list once the channel is detached (MediaChannel.releaseBuffers). */
    ByteBuffer releaseBuffer() {
        return rtpOut;
    }

    int digitsSent() {
        return dtmfOut == null ? 0 : dtmfOut.digits();
    }
}
