package org.tandem.tdm.sim;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import org.tandem.jna.libc.DirectBufferAddress;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.TdmLaw;

/**
 * A simulated B-channel: a SEQPACKET socketpair. The gateway owns {@link #fd()} (non-blocking);
 * the card's clock thread owns the other end and moves one block each way per period.
 *
 * <p>Gateway side ({@link #read}, {@link #write}, configuration): the owning media thread.
 * Card side ({@link #tick}): the clock thread. Counters are written by the clock thread only.
 */
final class SimBChannel implements BChannel {
    /** FIONREAD/SIOCINQ: on a SEQPACKET unix socket, the bytes of every queued packet. */
    private static final long FIONREAD = 0x541B;

    private final SimulatedCard card;
    private final SimSpan span;
    private final int chanpos;
    private final int channo;
    private final int gatewayFd;
    private final int cardFd;
    private final Posix posix;
    private final int blockSize;

    // gateway side
    private final DirectBufferAddress readAddress = new DirectBufferAddress();
    private final DirectBufferAddress writeAddress = new DirectBufferAddress();
    private TdmLaw law = TdmLaw.DEFAULT;
    private boolean audioMode = true;
    private int echoCancellerTaps;
    private volatile boolean closed;

    // card side (clock thread)
    private final ByteBuffer fromGateway;
    private final ByteBuffer toGateway;
    private final long fromGatewayAddress;
    private final long toGatewayAddress;
    private final IntByReference queuedBytes = new IntByReference();
    private final byte idleCode;
    private final int rxQueueBytes;
    private boolean peerGone;

    volatile boolean stuck;
    volatile long writeUnderruns;
    volatile long readOverruns;
    volatile long blocksDelivered;
    volatile long blocksReceived;

    SimBChannel(SimulatedCard card, SimSpan span, int chanpos, int channo, int[] pair) {
        this.card = card;
        this.span = span;
        this.chanpos = chanpos;
        this.channo = channo;
        this.gatewayFd = pair[0];
        this.cardFd = pair[1];
        this.posix = card.posix();
        SimCardConfig config = card.config();
        this.blockSize = config.blockSize();
        this.idleCode = config.idleCode();
        this.rxQueueBytes = config.rxQueueBlocks() * blockSize;
        this.fromGateway = ByteBuffer.allocateDirect(blockSize);
        this.toGateway = ByteBuffer.allocateDirect(blockSize);
        this.fromGatewayAddress = DirectBufferAddress.addressOf(fromGateway);
        this.toGatewayAddress = DirectBufferAddress.addressOf(toGateway);
    }

    // ------------------------------------------------------------------ card side

    /** One period on the clock thread: take the gateway's block, exchange with the far end, deliver. */
    void tick(SimFarEnd farEnd, boolean red) {
        if (peerGone) {
            return;
        }
        int n = posix.read(cardFd, fromGatewayAddress, blockSize);
        if (n == blockSize) {
            blocksReceived++;
        } else if (n == 0) {
            peerGone = true;            // gateway closed its end
            return;
        } else if (n > 0) {
            fill(fromGateway, n, idleCode); // short block: pad like a card would play idle
            blocksReceived++;
        } else {
            writeUnderruns++;
            fill(fromGateway, 0, idleCode);
        }
        fromGateway.clear();
        toGateway.clear();
        if (farEnd != null && !red) {
            farEnd.exchangeBlock(chanpos, fromGateway, toGateway);
        } else {
            fill(toGateway, 0, idleCode);
        }
        if (stuck) {
            return;
        }
        if (queuedTowardsGateway() >= rxQueueBytes) {
            readOverruns++;             // gateway is not reading: drop this block
            return;
        }
        int w = posix.write(cardFd, toGatewayAddress, blockSize);
        if (w == blockSize) {
            blocksDelivered++;
        } else {
            readOverruns++;
        }
    }

    private int queuedTowardsGateway() {
        try {
            posix.libc().ioctl(gatewayFd, FIONREAD, queuedBytes);
            return queuedBytes.getValue();
        } catch (LastErrorException e) {
            return 0;
        }
    }

    /** Drops what the gateway wrote but the card has not played yet (DAHDI_FLUSH_WRITE). Clock thread. */
    void drainFromGateway() {
        for (int i = 0; i < 256 && posix.read(cardFd, fromGatewayAddress, blockSize) > 0; i++) {
            // discard
        }
    }

    /** Closes both ends. Clock thread (or any thread once the clock has stopped). */
    void closeFds() {
        closed = true;
        posix.closeQuietly(gatewayFd);
        posix.closeQuietly(cardFd);
    }

    private static void fill(ByteBuffer b, int from, byte value) {
        for (int i = from; i < b.capacity(); i++) {
            b.put(i, value);
        }
    }

    // ------------------------------------------------------------------ gateway side

    @Override
    public int channo() {
        return channo;
    }

    @Override
    public int spanNumber() {
        return span.spanNumber();
    }

    @Override
    public int chanpos() {
        return chanpos;
    }

    @Override
    public int fd() {
        return gatewayFd;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public void setBlockSize(int bytes) {
        if (bytes != blockSize) {
            throw new TdmException("sim channel " + channo + ": block size is fixed by the card at " + blockSize
                + " bytes (SimCardConfig.blockSize), cannot set " + bytes);
        }
    }

    @Override
    public void setLaw(TdmLaw law) {
        this.law = law;
    }

    TdmLaw law() {
        return law;
    }

    @Override
    public void setAudioMode(boolean audio) {
        this.audioMode = audio;
    }

    boolean audioMode() {
        return audioMode;
    }

    /** The simulated card has no echo canceller: the setting is kept and reported, bytes pass unchanged. */
    @Override
    public void setEchoCanceller(int tapLength) {
        if (tapLength < 0) {
            throw new TdmException("sim channel " + channo + ": echo canceller tap length must be >= 0, got " + tapLength);
        }
        this.echoCancellerTaps = tapLength;
    }

    int echoCancellerTaps() {
        return echoCancellerTaps;
    }

    @Override
    public void flush(int which) {
        if ((which & 1) != 0) {
            ByteBuffer scratch = ByteBuffer.allocateDirect(blockSize);
            DirectBufferAddress a = new DirectBufferAddress();
            for (int i = 0; i < 256; i++) {
                scratch.clear();
                if (posix.read(gatewayFd, scratch, a) <= 0) {
                    break;
                }
            }
        }
        if ((which & 2) != 0) {
            card.execute(this::drainFromGateway);
        }
    }

    @Override
    public int alarms() {
        return span.alarms();
    }

    @Override
    public int read(ByteBuffer dst) {
        if (closed) {
            return CLOSED;
        }
        int n = posix.read(gatewayFd, dst, readAddress);
        if (n > 0) {
            return n;
        }
        if (n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED) {
            return WOULD_BLOCK;
        }
        return CLOSED;
    }

    @Override
    public int write(ByteBuffer src) {
        if (closed) {
            return CLOSED;
        }
        int n = posix.write(gatewayFd, src, writeAddress);
        if (n >= 0) {
            return n;
        }
        if (n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED || n == -LibC.ENOBUFS) {
            return WOULD_BLOCK;
        }
        return CLOSED;
    }

    /** The simulated channel reports alarms through its span's D-channel events only. */
    @Override
    public int nextEvent() {
        return TdmEvents.NONE;
    }

    @Override
    public void close() {
        if (!closed) {
            card.execute(() -> span.removeBChannel(this));
        }
    }

    @Override
    public String toString() {
        return "sim/" + span.spanNumber() + ":" + chanpos + " (channo " + channo + ")";
    }
}
