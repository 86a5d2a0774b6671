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
import org.tandem.gateway.rtp.DatagramDestination;
import org.tandem.gateway.rtp.JitterBuffer;
import org.tandem.gateway.rtp.NtpTime;
import org.tandem.gateway.rtp.RtcpDecoder;
import org.tandem.gateway.rtp.RtcpEncoder;
import org.tandem.gateway.rtp.RtcpInterval;
import org.tandem.gateway.rtp.RtcpReport;
import org.tandem.gateway.rtp.RtpPacket;
import org.tandem.gateway.rtp.RtpReceiveStatistics;
import org.tandem.gateway.rtp.TelephoneEvent;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmLaw;

/**
 * One call's media on its agent's thread: the B-channel, the RTP/RTCP sockets, the jitter buffer,
 * DTMF both ways and the statistics. Every method runs on the owning agent thread; the clock is
 * passed in ({@code nowNs}, a monotonic time) so tests drive it by hand.
 *
 * <p>Normally created and driven by a {@link MediaAgent} through {@link MediaProxy#attach}.
 * {@link #open} gives a channel no agent owns, for benchmarks and for tests that call the
 * {@code on*Readable} methods themselves, agent style ({@code doWork()} with a clock the test
 * advances); whoever drives it must do so from one thread.
 *
 * <p>The span is the master clock (docs/MEDIA.md): each block read from the B-channel drives the
 * RTP sent for it and the block written back, and the timers (RTCP, RTP timeout) are checked there.
 */
public final class MediaChannel {
    private static final Logger LOG = LoggerFactory.getLogger(MediaChannel.class);

    /** Packets drained per readiness event, so one flooded socket cannot starve the others. */
    static final int MAX_PACKETS_PER_WAKEUP = 16;
    /** Blocks read per call of {@link #onTdmReadable} (the agent reads one: see MediaAgent). */
    static final int MAX_BLOCKS_PER_WAKEUP = 4;
    /** A detected digit shorter than this is not sent (Q.24: 40 ms minimum). */
    static final int RTP_UNITS_PER_MS = 8;
    /** Extra blocks written ahead at the start of the call: the span's reserve against late wakeups. */
    static final int TX_PRIME_BLOCKS = 1;
    /** Wrong-SSRC packets in a row from the latched address after which we follow the new SSRC. */
    static final int SSRC_SWITCH_AFTER = 10;

    final MediaHandle handle;
    private final MediaSessionSpec spec;
    private final MediaListener listener;
    private final BChannel channel;
    private final Socket rtpSocket;
    private final Socket rtcpSocket;
    private final TdmLaw tdmLaw;
    private final TdmLaw rtpLaw;
    private final int payloadType;
    private final int tePt;
    private final int packetSamples;
    private final int blockSize;
    private final long rtpTimeoutNs;
    private final long ntpOffsetNs;
    private final byte tdmIdle;

    private final ByteBuffer tdmIn;
    private final ByteBuffer tdmOut;
    private final ByteBuffer rtpOut;
    private final ByteBuffer rtcpOut;
    private final long rtpOutAddress;
    private final long rtcpOutAddress;
    /** Unlatched destinations (the SDP's, then a re-INVITE's): preallocated sockaddrs, no garbage per send. */
    private final DatagramDestination rtpTo;
    private final DatagramDestination rtcpTo;
    /** Agent bookkeeping for the current loop turn (MediaAgent.finishTurn). */
    boolean queued;
    boolean rtpReadable;
    /** Blocks read whose answer (jitter buffer -> span write) is still owed: see {@link #writeOwedBlocks}. */
    private int owedBlocks;
    private byte[] blockBytes;
    /** With telephone-event: the block read one period ago, sent now (see spanToRtp). */
    private byte[] heldBlock;
    private final byte[] outAcc;
    private int outAccLen;
    private final byte[] slot = new byte[JitterBuffer.SLOT_SAMPLES];
    private final JitterBuffer jitterBuffer;
    private final RtpReceiveStatistics receiveStats = new RtpReceiveStatistics();
    private final RtpPacket packet = new RtpPacket();
    private final RtcpReport rtcpReport = new RtcpReport();
    private final RtcpInterval rtcpInterval;
    private final byte[] cname;
    private final ConcealmentStage concealer;
    private final DtmfToRtp dtmfOut;
    private final DtmfToSpan dtmfIn;

    private MediaDirection direction;
    private InetSocketAddress remoteRtp;
    private InetSocketAddress remoteRtcp;
    private boolean rtpLatched;
    private boolean rtcpLatched;
    private boolean ssrcLocked;
    private int remoteSsrc;
    private int wrongSsrcRun;
    private int wrongSsrcCandidate;
    private final int ssrc;
    private int sequence;
    private int rtpTimestamp;
    private boolean markerNext = true;
    private boolean channelLost;
    private boolean primed;
    private boolean detached;

    private long nextRtcpNs;
    private boolean sentSinceReport;
    private int lastSrMiddle;
    private long lastSrArrivalNs;
    private long lastRtpNs;
    private boolean timeoutRaised;

    // statistics
    long packetsSent;
    long octetsSent;
    long packetsReceived;
    long octetsReceived;
    long notOurs;
    long rtcpGarbage;
    long tdmUnderruns;
    long rttNs = -1;
    int remoteFraction = -1;
    long remoteJitter = -1;
    long concealedFrames;

    MediaChannel(MediaHandle handle, MediaSessionSpec spec, MediaListener listener, long nowNs,
                 long ntpOffsetNs, int jitterMinMs, int jitterMaxMs, long rtpTimeoutNs, long seed) {
        this.handle = handle;
        this.spec = spec;
        this.listener = listener;
        this.channel = spec.channel();
        this.rtpSocket = spec.ports().rtpSocket();
        this.rtcpSocket = spec.ports().rtcpSocket();
        this.tdmLaw = spec.tdmLaw();
        this.rtpLaw = spec.rtpLaw();
        this.payloadType = spec.payloadType();
        this.tePt = spec.telephoneEventPt();
        this.packetSamples = spec.ptimeMs() * RTP_UNITS_PER_MS;
        this.blockSize = channel.blockSize();
        this.rtpTimeoutNs = rtpTimeoutNs;
        this.ntpOffsetNs = ntpOffsetNs;
        this.tdmIdle = G711Audio.idleCode(tdmLaw);
        this.direction = spec.direction();
        this.remoteRtp = spec.remoteRtp();
        this.remoteRtcp = new InetSocketAddress(remoteRtp.getAddress(), remoteRtp.getPort() + 1);
        this.tdmIn = ByteBuffer.allocateDirect(blockSize);
        this.tdmOut = ByteBuffer.allocateDirect(blockSize);
        this.rtpOut = ByteBuffer.allocateDirect(RtpPacket.HEADER_LENGTH + 30 * RTP_UNITS_PER_MS);
        this.rtcpOut = ByteBuffer.allocateDirect(512);
        this.rtpOutAddress = Pointer.nativeValue(Native.getDirectBufferPointer(rtpOut));
        this.rtcpOutAddress = Pointer.nativeValue(Native.getDirectBufferPointer(rtcpOut));
        this.rtpTo = new DatagramDestination(rtpSocket.intValue());
        this.rtcpTo = new DatagramDestination(rtcpSocket.intValue());
        rtpTo.set(remoteRtp);
        rtcpTo.set(remoteRtcp);
        this.blockBytes = new byte[blockSize];
        this.heldBlock = new byte[blockSize];
        java.util.Arrays.fill(heldBlock, tdmIdle);
        this.outAcc = new byte[blockSize + packetSamples];
        this.jitterBuffer = new JitterBuffer(blockSize, jitterMinMs, jitterMaxMs, G711Audio.magnitudeTable(rtpLaw));
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        this.ssrc = random.nextInt();
        this.sequence = random.nextInt(1 << 16);
        this.rtpTimestamp = random.nextInt();
        this.rtcpInterval = new RtcpInterval(random.nextLong());
        this.nextRtcpNs = nowNs + rtcpInterval.nextNs(true);
        this.cname = ("tandem-" + Integer.toHexString(ssrc) + "@" + spec.callId()).getBytes(StandardCharsets.US_ASCII);
        this.concealer = new ConcealmentStage(tdmLaw);
        this.dtmfOut = tePt >= 0 ? new DtmfToRtp(tdmLaw, packetSamples) : null;
        this.dtmfIn = new DtmfToSpan(tdmLaw);
        this.lastRtpNs = nowNs;
    }

    /**
     * A channel outside any agent: {@code spec.ports()} stay the caller's to close after
     * {@link #detach}. Listener callbacks run on the driving thread.
     */
    public static MediaChannel open(MediaSessionSpec spec, MediaListener listener, MediaConfig config,
                                    long nowNs, long seed) {
        if (!io.netty.channel.epoll.Epoll.isAvailable()) {
            throw new IllegalStateException("media needs Netty's native epoll transport: "
                    + io.netty.channel.epoll.Epoll.unavailabilityCause());
        }
        MediaHandle handle = new MediaHandle(spec.callId(), null);
        MediaChannel ch = new MediaChannel(handle, spec, listener, nowNs,
                System.currentTimeMillis() * 1_000_000L - System.nanoTime(), config.jitterMinMs(),
                config.jitterMaxMs(), config.rtpTimeoutMs() * 1_000_000L, seed);
        handle.bind(ch, spec.ports().rtpPort());
        return ch;
    }

    MediaSessionSpec spec() {
        return spec;
    }

    int ssrc() {
        return ssrc;
    }

    // ------------------------------------------------------------------ TDM side (master clock)

    /**
     * The B-channel is readable: for each block, RTP out and one block back to the span. For
     * drivers of a lone channel; the agent splits the two halves ({@link #readBlocks}, then
     * {@link #writeOwedBlocks} after every ready channel has sent).
     */
    public int onTdmReadable(long nowNs) {
        int blocks = readBlocks(nowNs, MAX_BLOCKS_PER_WAKEUP);
        writeOwedBlocks(nowNs);
        return blocks;
    }

    /**
     * Span -> RTP half: reads up to {@code maxBlocks} blocks, sends the RTP for each, and owes the
     * span one block written back per block read.
     */
    int readBlocks(long nowNs, int maxBlocks) {
        int blocks = 0;
        while (blocks < maxBlocks && !channelLost) {
            tdmIn.clear();
            int n = channel.read(tdmIn);
            if (n == BChannel.WOULD_BLOCK) {
                break;
            }
            if (n == BChannel.EVENT_PENDING) {
                drainEvents();
                continue;
            }
            if (n == BChannel.CLOSED || n < 0) {
                channelLost = true;
                LOG.warn("call {}: B-channel {} closed under the call", spec.callId(), channel.channo());
                listener.onChannelLost(handle);
                break;
            }
            tdmIn.get(0, blockBytes, 0, Math.min(n, blockSize));
            if (n < blockSize) {
                java.util.Arrays.fill(blockBytes, n, blockSize, tdmIdle);
            }
            blocks++;
            if (!primed) {
                primeTransmit();
            }
            spanToRtp(nowNs);
            owedBlocks++;
        }
        return blocks;
    }

    /** RTP -> span half: one block from the jitter buffer per block read, then the timers. */
    void writeOwedBlocks(long nowNs) {
        while (owedBlocks > 0) {
            owedBlocks--;
            if (!channelLost) {
                rtpToSpan();
            }
            checkTimers(nowNs);
        }
    }

    /**
     * Before the first block of the call, one idle block goes to the span: the transmit side then
     * always holds one block in reserve, so this thread may answer up to a whole block period late
     * (a GC pause, a busy core) without the span running dry (the "2 x 20 ms" of span buffering).
     */
    private void primeTransmit() {
        primed = true;
        for (int k = 0; k < TX_PRIME_BLOCKS; k++) {
            for (int i = 0; i < blockSize; i++) {
                tdmOut.put(i, tdmIdle);
            }
            tdmOut.clear();
            channel.write(tdmOut);
        }
    }

    private void drainEvents() {
        for (int i = 0; i < 8; i++) {
            int event = channel.nextEvent();
            if (event == TdmEvents.NONE) {
                return;
            }
            if (event == TdmEvents.WRITE_UNDERRUN || event == TdmEvents.READ_OVERRUN) {
                tdmUnderruns++;
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("call {}: B-channel {} event {}", spec.callId(), channel.channo(), TdmEvents.name(event));
            }
        }
    }

    private void checkTimers(long nowNs) {
        if (nowNs - nextRtcpNs >= 0) {
            sendRtcp(nowNs, false);
            nextRtcpNs = nowNs + rtcpInterval.nextNs(false);
        }
        if (direction.receives() && !timeoutRaised && rtpTimeoutNs > 0 && nowNs - lastRtpNs > rtpTimeoutNs) {
            timeoutRaised = true;
            listener.onRtpTimeout(handle, (nowNs - lastRtpNs) / 1_000_000L);
        }
    }

    private void spanToRtp(long nowNs) {
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
            if (direction.sends()) {
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
            sent = rtpLatched ? rtpSocket.send(rtpOut, 0, length) : rtpTo.send(rtpOutAddress, length);
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
            LOG.info("call {}: RTP send to {} failed: {}", spec.callId(), remoteRtp, why);
        }
    }

    long sendErrors;

    private void rtpToSpan() {
        int slots = blockSize / JitterBuffer.SLOT_SAMPLES;
        for (int s = 0; s < slots; s++) {
            int off = s * JitterBuffer.SLOT_SAMPLES;
            int st = direction.receives() ? jitterBuffer.pull(slot, 0) : JitterBuffer.IDLE;
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
        tdmOut.clear();
        int w = channel.write(tdmOut);
        if (w == BChannel.EVENT_PENDING) {
            drainEvents();
            tdmOut.clear();
            w = channel.write(tdmOut);
        }
        if (w == BChannel.WOULD_BLOCK) {
            tdmUnderruns++; // the span's transmit queue is full: this block is lost
        }
    }

    // ------------------------------------------------------------------ RTP in

    /** Drains the RTP socket; {@code rx} is the agent's shared receive buffer. */
    public int onRtpReadable(long nowNs, ByteBuffer rx) {
        return onRtpReadable(nowNs, rx, MAX_PACKETS_PER_WAKEUP);
    }

    /** Reads up to {@code maxPackets} datagrams (empty ones and errors count too). */
    int onRtpReadable(long nowNs, ByteBuffer rx, int maxPackets) {
        int count = 0;
        while (count < maxPackets) {
            int n;
            InetSocketAddress source = null;
            try {
                if (rtpLatched) {
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
        if (!rtpLatched && source != null) {
            latchRtp(source);
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
        if (!direction.receives()) {
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

    /** Symmetric RTP (RFC 4961; NAT traversal): send where the peer's packets come from. */
    private void latchRtp(InetSocketAddress source) {
        InetSocketAddress at = new InetSocketAddress(source.getAddress(), source.getPort());
        try {
            rtpSocket.connect(at);
            rtpLatched = true;
            if (!at.equals(remoteRtp)) {
                LOG.info("call {}: RTP latched to {} (SDP said {})", spec.callId(), at, remoteRtp);
            }
            remoteRtp = at;
        } catch (IOException e) {
            LOG.warn("call {}: cannot latch RTP to {}: {}", spec.callId(), at, e.toString());
        }
    }

    // ------------------------------------------------------------------ RTCP

    public int onRtcpReadable(long nowNs, ByteBuffer rx) {
        int count = 0;
        while (count < MAX_PACKETS_PER_WAKEUP) {
            int n;
            InetSocketAddress source = null;
            try {
                if (rtcpLatched) {
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
        if (RtcpDecoder.decode(rx, 0, n, rtcpReport) != RtcpDecoder.VALID) {
            rtcpGarbage++;
            return;
        }
        if (ssrcLocked && rtcpReport.senderSsrc != remoteSsrc) {
            rtcpGarbage++;
            return;
        }
        if (!rtcpLatched && source != null) {
            try {
                InetSocketAddress at = new InetSocketAddress(source.getAddress(), source.getPort());
                rtcpSocket.connect(at);
                remoteRtcp = at;
                rtcpLatched = true;
            } catch (IOException e) {
                LOG.debug("call {}: cannot latch RTCP to {}: {}", spec.callId(), source, e.toString());
            }
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

    /** Compound SR or RR + SDES CNAME (RFC 3550 section 6.1), plus BYE when leaving. */
    void sendRtcp(long nowNs, boolean bye) {
        int lsr = 0;
        int dlsr = 0;
        if (lastSrArrivalNs != 0) {
            lsr = lastSrMiddle;
            dlsr = (int) NtpTime.nanosToShort(nowNs - lastSrArrivalNs);
        }
        int len;
        if (sentSinceReport) {
            long ntp = NtpTime.fromEpochNanos(nowNs + ntpOffsetNs);
            len = RtcpEncoder.writeSenderReport(rtcpOut, 0, ssrc, ntp, rtpTimestamp, packetsSent, octetsSent,
                    remoteSsrc, receiveStats, lsr, dlsr);
        } else {
            len = RtcpEncoder.writeReceiverReport(rtcpOut, 0, ssrc, remoteSsrc, receiveStats, lsr, dlsr);
        }
        sentSinceReport = false;
        len += RtcpEncoder.writeSdesCname(rtcpOut, len, ssrc, cname);
        if (bye) {
            len += RtcpEncoder.writeBye(rtcpOut, len, ssrc);
        }
        try {
            int sent = rtcpLatched ? rtcpSocket.send(rtcpOut, 0, len) : rtcpTo.send(rtcpOutAddress, len);
            if (sent < 0 && LOG.isDebugEnabled()) {
                LOG.debug("call {}: RTCP send to {} failed: errno {}", spec.callId(), remoteRtcp, -sent);
            }
        } catch (IOException e) {
            LOG.debug("call {}: RTCP send to {} failed: {}", spec.callId(), remoteRtcp, e.toString());
        }
    }

    // ------------------------------------------------------------------ commands (agent thread)

    void updateRemote(InetSocketAddress remote) {
        try {
            if (rtpLatched) {
                rtpSocket.disconnect();
            }
            if (rtcpLatched) {
                rtcpSocket.disconnect();
            }
        } catch (IOException e) {
            LOG.warn("call {}: disconnecting RTP sockets: {}", spec.callId(), e.toString());
        }
        rtpLatched = false;
        rtcpLatched = false;
        ssrcLocked = false;
        receiveStats.reset();
        jitterBuffer.reset();
        remoteRtp = remote;
        remoteRtcp = new InetSocketAddress(remote.getAddress(), remote.getPort() + 1);
        rtpTo.set(remoteRtp);
        rtcpTo.set(remoteRtcp);
        markerNext = true;
    }

    void setDirection(MediaDirection newDirection, long nowNs) {
        if (!direction.receives() && newDirection.receives()) {
            lastRtpNs = nowNs; // a resumed stream gets a fresh timeout
            timeoutRaised = false;
            jitterBuffer.reset();
        }
        if (!direction.sends() && newDirection.sends()) {
            markerNext = true;
        }
        direction = newDirection;
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

    public MediaStats stats() {
        double rtpUnitsToMs = 1.0 / RTP_UNITS_PER_MS;
        return new MediaStats(packetsSent, octetsSent, packetsReceived, octetsReceived,
                receiveStats.cumulativeLost(), receiveStats.jitter() * rtpUnitsToMs,
                rttNs < 0 ? -1 : rttNs / 1e6, remoteFraction < 0 ? -1 : remoteFraction / 256.0,
                remoteJitter < 0 ? -1 : remoteJitter * rtpUnitsToMs,
                jitterBuffer.latePackets(), jitterBuffer.duplicates(), concealedFrames,
                jitterBuffer.droppedSlots() + jitterBuffer.insertedSlots(), jitterBuffer.delayMs(),
                notOurs + jitterBuffer.badLengthPackets(), rtcpGarbage,
                dtmfOut == null ? 0 : dtmfOut.digits(), dtmfIn.digits(), tdmUnderruns);
    }

    /** Sends the final RTCP BYE; the agent then unregisters and closes the ports. */
    public MediaStats detach(long nowNs) {
        if (!detached) {
            detached = true;
            sendRtcp(nowNs, true);
        }
        return stats();
    }

    boolean channelLost() {
        return channelLost;
    }
}
