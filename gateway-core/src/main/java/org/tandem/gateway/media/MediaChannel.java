package org.tandem.gateway.media;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.rtp.JitterBuffer;
import org.tandem.gateway.rtp.RtpReceiveStatistics;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmEvents;

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
 *
 * <p>This class is the TDM side (B-channel reads and writes, the transmit reserve, driver events)
 * and the commands; the work per block and per packet is done by its stages, each held in a final
 * field: {@link SpanToRtp} (block -> RTP out), {@link RtpToSpan} (RTP in -> jitter buffer -> block
 * for the span), {@link RtcpSession} (reports both ways) and {@link SymmetricRtp} (where the
 * sockets send, latching).
 */
public final class MediaChannel {
    private static final Logger LOG = LoggerFactory.getLogger(MediaChannel.class);

    /** Packets drained per readiness event, so one flooded socket cannot starve the others. */
    static final int MAX_PACKETS_PER_WAKEUP = 16;
    /** Blocks read per call of {@link #onTdmReadable} (the agent reads one: see MediaAgent). */
    static final int MAX_BLOCKS_PER_WAKEUP = 4;
    /** RTP timestamp units per millisecond at the 8 kHz G.711 and telephone-event clock (RFC 3551 4.5.14, RFC 4733 2.1). */
    static final int RTP_UNITS_PER_MS = 8;
    /** Extra blocks written ahead at the start of the call: the span's reserve against late wakeups. */
    static final int TX_PRIME_BLOCKS = 1;

    final MediaHandle handle;
    private final MediaSessionSpec spec;
    private final MediaListener listener;
    private final BChannel channel;
    private final int blockSize;
    private final byte tdmIdle;

    private final ByteBuffer tdmIn;
    private final ByteBuffer tdmOut;
    private final SrtpStage srtp;
    private final SymmetricRtp peer;
    private final SpanToRtp spanToRtp;
    private final RtpToSpan rtpToSpan;
    private final RtcpSession rtcp;
    /** Agent bookkeeping for the current loop turn (MediaAgent.finishTurn). */
    boolean queued;
    boolean rtpReadable;
    /** Blocks read whose answer (jitter buffer -> span write) is still owed: see {@link #writeOwedBlocks}. */
    private int owedBlocks;
    private boolean channelLost;
    private boolean primed;
    private boolean detached;
    /** The buffers went back to {@link #buffers} (after detach): nothing may run any more. */
    private boolean released;
    private final MediaBuffers buffers;
    /** Bridged TDM to TDM with another channel (attended transfer): blocks go there, not to RTP. */
    private TdmBridge.Ring bridgeOut;
    private TdmBridge.Ring bridgeIn;

    private long tdmUnderruns;
    /** Where this channel's B-channel octets are counted per span (null: nowhere). */
    private org.tandem.gateway.ops.SpanOctets spanOctets;

    MediaChannel(MediaHandle handle, MediaSessionSpec spec, MediaListener listener, long nowNs,
                 long ntpOffsetNs, int jitterMinMs, int jitterMaxMs, long rtpTimeoutNs, long seed,
                 MediaBuffers buffers) {
        this.handle = handle;
        this.buffers = buffers;
        this.spec = spec;
        this.listener = listener;
        this.channel = spec.channel();
        this.blockSize = channel.blockSize();
        this.tdmIdle = G711Audio.idleCode(spec.tdmLaw());
        this.tdmIn = buffers.takeDirect(blockSize);
        this.tdmOut = buffers.takeDirect(blockSize);
        this.srtp = new SrtpStage(spec.srtp());
        this.peer = new SymmetricRtp(spec.callId(), spec.ports().rtpSocket(), spec.ports().rtcpSocket(),
                spec.ports().ipv6(), spec.remoteRtp(), srtp, buffers);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int ssrc = random.nextInt();
        int sequence = random.nextInt(1 << 16);
        int rtpTimestamp = random.nextInt();
        long rtcpIntervalSeed = random.nextLong();
        this.spanToRtp = new SpanToRtp(handle, listener, spec, peer, blockSize, ssrc, sequence, rtpTimestamp,
                buffers);
        this.rtpToSpan = new RtpToSpan(handle, listener, spec, peer, blockSize, jitterMinMs, jitterMaxMs,
                rtpTimeoutNs, nowNs, buffers);
        this.rtcp = new RtcpSession(spec.callId(), peer, spanToRtp, rtpToSpan, ntpOffsetNs, rtcpIntervalSeed, nowNs,
                buffers);
        buffers.channelOpened(); // last: a constructor that threw counts for nothing
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
        MediaHandle handle = new MediaHandle(spec.callId(), null, spec.ports().rtpPort());
        MediaChannel ch = new MediaChannel(handle, spec, listener, nowNs,
                System.currentTimeMillis() * 1_000_000L - System.nanoTime(), config.jitterMinMs(),
                config.jitterMaxMs(), config.rtpTimeoutMs() * 1_000_000L, seed, new MediaBuffers(4));
        handle.bind(ch);
        return ch;
    }

    MediaSessionSpec spec() {
        return spec;
    }

    int ssrc() {
        return spanToRtp.ssrc();
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
        if (released) {
            return 0;
        }
        int blocks = 0;
        long readOctets = 0;
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
            blocks++;
            if (!primed) {
                primeTransmit();
            }
            if (bridgeOut != null) {
                bridgeOut.offer(tdmIn, n);
            } else {
                spanToRtp.onBlock(tdmIn, n);
            }
            owedBlocks++;
            readOctets += n;
        }
        if (readOctets > 0 && spanOctets != null) {
            spanOctets.read(channel.spanNumber(), readOctets);
        }
        return blocks;
    }

    /** Counts this channel's span octets in {@code octets} (set before the channel runs). */
    void countSpanOctets(org.tandem.gateway.ops.SpanOctets octets) {
        this.spanOctets = octets;
    }

    /** RTP -> span half: one block from the jitter buffer per block read, then the timers. */
    void writeOwedBlocks(long nowNs) {
        if (released) {
            return;
        }
        long written = 0;
        while (owedBlocks > 0) {
            owedBlocks--;
            if (bridgeIn != null) {
                if (!channelLost) {
                    bridgeIn.poll(tdmOut);
                    written += writeBlock();
                }
                continue; // no RTP, no RTCP, no RTP timeout while bridged
            }
            if (!channelLost) {
                rtpToSpan.fillBlock(tdmOut);
                written += writeBlock();
            }
            checkTimers(nowNs);
        }
        if (written > 0 && spanOctets != null) {
            spanOctets.written(channel.spanNumber(), written);
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

    /** Writes {@code tdmOut}, the block {@link RtpToSpan} filled, to the span; the octets written. */
    private int writeBlock() {
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
        return Math.max(0, w);
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
        rtcp.onTimer(nowNs);
        rtpToSpan.checkTimeout(nowNs);
    }

    // ------------------------------------------------------------------ RTP and RTCP in

    /** Drains the RTP socket; {@code rx} is the agent's shared receive buffer. */
    public int onRtpReadable(long nowNs, ByteBuffer rx) {
        return onRtpReadable(nowNs, rx, MAX_PACKETS_PER_WAKEUP);
    }

    /** Reads up to {@code maxPackets} datagrams (empty ones and errors count too). */
    int onRtpReadable(long nowNs, ByteBuffer rx, int maxPackets) {
        if (released) {
            return 0;
        }
        return rtpToSpan.onRtpReadable(nowNs, rx, maxPackets);
    }

    public int onRtcpReadable(long nowNs, ByteBuffer rx) {
        if (released) {
            return 0;
        }
        return rtcp.onRtcpReadable(nowNs, rx, MAX_PACKETS_PER_WAKEUP);
    }

    // ------------------------------------------------------------------ commands (agent thread)

    void updateRemote(InetSocketAddress remote) {
        peer.unlatch();
        rtpToSpan.forgetSource();
        peer.sendTo(remote);
        spanToRtp.markNextPacket();
    }

    /** New SRTP keys (a re-offer, a transfer), or null for plain RTP from now on. */
    void rekey(org.tandem.gateway.sdp.SrtpKeys keys) {
        srtp.rekey(keys);
        LOG.info("call {}: SRTP now {}", spec.callId(), srtp.suite());
    }

    void setDirection(MediaDirection newDirection, long nowNs) {
        rtpToSpan.setReceiving(newDirection.receives(), nowNs);
        spanToRtp.setSending(newDirection.sends());
    }

    /**
     * From now on the blocks read from this channel go to {@code out} and the blocks written come
     * from {@code in} (the other channel of a {@link TdmBridge}); RTP stops both ways.
     */
    void bridge(TdmBridge.Ring out, TdmBridge.Ring in) {
        bridgeOut = out;
        bridgeIn = in;
    }

    boolean bridged() {
        return bridgeIn != null;
    }

    /** Plays a digit in-band to the span (SIP INFO or a digit from call control). */
    boolean playDigit(char digit, int durationMs) {
        return rtpToSpan.playDigit(digit, durationMs);
    }

    public MediaStats stats() {
        double rtpUnitsToMs = 1.0 / RTP_UNITS_PER_MS;
        RtpReceiveStatistics receiveStats = rtpToSpan.receiveStats();
        JitterBuffer jitterBuffer = rtpToSpan.jitterBuffer();
        long rttNs = rtcp.rttNs();
        int remoteFraction = rtcp.remoteFraction();
        long remoteJitter = rtcp.remoteJitter();
        return new MediaStats(spanToRtp.packetsSent(), spanToRtp.octetsSent(), rtpToSpan.packetsReceived(),
                rtpToSpan.octetsReceived(),
                receiveStats.cumulativeLost(), receiveStats.jitter() * rtpUnitsToMs,
                rttNs < 0 ? -1 : rttNs / 1e6, remoteFraction < 0 ? -1 : remoteFraction / 256.0,
                remoteJitter < 0 ? -1 : remoteJitter * rtpUnitsToMs,
                jitterBuffer.latePackets(), jitterBuffer.duplicates(), rtpToSpan.concealedFrames(),
                jitterBuffer.droppedSlots() + jitterBuffer.insertedSlots(), jitterBuffer.delayMs(),
                rtpToSpan.notOurs() + jitterBuffer.badLengthPackets(), rtcp.rtcpGarbage(),
                spanToRtp.digitsSent(), rtpToSpan.digitsReceived(), tdmUnderruns,
                srtp.active() ? srtp.suite() : null, srtp.authenticated(), srtp.failed());
    }

    /** Sends the final RTCP BYE; the agent then unregisters and closes the ports. */
    public MediaStats detach(long nowNs) {
        if (!detached) {
            detached = true;
            rtcp.sendRtcp(nowNs, true);
            if (srtp.active() || srtp.failed() > 0) {
                LOG.info("call {}: SRTP {}: {} packets authenticated, {} dropped, {} of them SRTP ({})",
                        spec.callId(), srtp.suite(), srtp.authenticated(), srtp.failed(), srtp.failedRtp(),
                        srtp.failureDetail());
            }
            JitterBuffer jb = rtpToSpan.jitterBuffer();
            // The CDR carries the packet counts of every call; the line is INFO only for a call whose
            // media went wrong (the span ran dry or the jitter buffer had to resync), DEBUG otherwise:
            // at INFO a call writes one line, when it ends (docs/OPERATIONS.md "Logs and rotation").
            boolean unusual = tdmUnderruns > 0 || jb.resyncs() > 0;
            if (unusual ? LOG.isInfoEnabled() : LOG.isDebugEnabled()) {
                logMedia(unusual, jb);
            }
        }
        return stats();
    }

    private void logMedia(boolean unusual, JitterBuffer jb) {
        String format = "call {}: media: {} packets sent, {} received, {} late, {} slots missing, {} slots concealed,"
                + " delay adjusted {} times ({} slots dropped, {} inserted), {} resyncs, playout delay {} ms,"
                + " {} span underruns";
        Object[] args = {spec.callId(), spanToRtp.packetsSent(), rtpToSpan.packetsReceived(),
                jb.latePackets(), jb.missingSlots(), rtpToSpan.concealedFrames(),
                jb.droppedSlots() + jb.insertedSlots(), jb.droppedSlots(), jb.insertedSlots(), jb.resyncs(),
                jb.delayMs(), tdmUnderruns};
        if (unusual) {
            LOG.info(format, args);
        } else {
            LOG.debug(format, args);
        }
    }

    boolean channelLost() {
        return channelLost;
    }

    boolean detached() {
        return detached;
    }

    /**
     * After {@link #detach}, once nothing can reach this channel any more (its descriptors are
     * unregistered: {@link MediaAgent#detach}), gives its direct buffers and a borrowed concealer
     * back to the agent's {@link MediaBuffers}; idempotent. From here on the channel does nothing
     * (the read and command paths check), so a buffer the next call takes carries nothing of this
     * one's into it and this one cannot write into that call's.
     */
    void releaseBuffers() {
        if (released) {
            return;
        }
        released = true;
        detached = true;
        rtpToSpan.release();
        buffers.giveDirect(spanToRtp.releaseBuffer());
        buffers.giveDirect(rtcp.releaseBuffer());
        buffers.giveDirect(tdmIn);
        buffers.giveDirect(tdmOut);
        peer.releaseBuffers(buffers);
        buffers.channelClosed();
    }
}
