package org.tandem.tdm.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
 * Card side ({@link #tick}): the clock thread. Counters are written by the clock thread only,
 * but for {@link #gatewayReads} and {@link #gatewayWrites}, which the gateway side keeps.
 *
 * <p><b>Queues by count, not by syscall.</b> {@link #read}, {@link #write} and {@link #flush} are
 * the only code that touches the gateway's descriptor (everything else only polls it), so the
 * card knows both queues from packet counts instead of asking the kernel: towards the gateway,
 * {@link #blocksDelivered} minus {@link #gatewayReads} (what {@code FIONREAD} divided by the block
 * size would say); from the gateway, {@link #gatewayWrites} minus {@link #cardReads} (zero: the
 * read would be EAGAIN, an underrun, so it is not made). The gateway announces each read or write
 * by adding one <em>before</em> its syscall and takes it back if the syscall moved no packet, so
 * the card never believes the queue from the gateway shorter, or the one towards it longer, than
 * the kernel's: a decision taken while a gateway syscall is under way is the one the kernel would
 * give had that syscall come first (a read) or last (a write). docs/DAHDI.md, "Queues by count, not
 * by syscall".
 */
final class SimBChannel implements BChannel {
    private static final VarHandle GATEWAY_READS;
    private static final VarHandle GATEWAY_WRITES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            GATEWAY_READS = l.findVarHandle(SimBChannel.class, "gatewayReads", long.class);
            GATEWAY_WRITES = l.findVarHandle(SimBChannel.class, "gatewayWrites", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SimulatedCard card;
    private final SimSpan span;
    private final int chanpos;
    private final int channo;
    private final int gatewayFd;
    private final int cardFd;
    private final Posix posix;
    private final int blockSize;

    /** Events a channel holds before new ones are dropped (DAHDI keeps a small ring too). */
    static final int MAX_EVENTS = 16;

    // gateway side
    private final DirectBufferAddress readAddress = new DirectBufferAddress();
    private final DirectBufferAddress writeAddress = new DirectBufferAddress();
    private final ByteBuffer flushBuffer;
    private final DirectBufferAddress flushAddress = new DirectBufferAddress();
    private volatile TdmLaw law = TdmLaw.DEFAULT;
    private volatile boolean audioMode = true;
    private volatile int echoCancellerTaps;
    private volatile boolean closed;
    /**
     * Reads of the gateway's descriptor begun (announced before the syscall) less those that
     * returned no packet: after the syscall, the packets the gateway has taken. Atomic adds, so a
     * second reading thread (against the contract) would still keep it exact.
     */
    private volatile long gatewayReads;
    /** Writes to the gateway's descriptor begun less those that queued no packet (as above). */
    private volatile long gatewayWrites;

    // card side (clock thread)
    private final ByteBuffer fromGateway;
    private final ByteBuffer toGateway;
    private final long fromGatewayAddress;
    private final long toGatewayAddress;
    private final byte idleCode;
    /** A block of the idle code, copied in where the card has nothing better to send. */
    private final byte[] idleBlock;
    private final int rxQueueBlocks;
    /** Packets the card has taken from the gateway's queue (tick and drain). */
    private long cardReads;
    private boolean peerGone;

    // Events: a single-producer (clock thread) single-consumer (owning thread) ring. The gateway
    // side sees a pending event with two volatile reads: no lock, no allocation.
    private final int[] events = new int[MAX_EVENTS];
    private volatile int eventsIn;
    private volatile int eventsOut;
    private volatile boolean bufferEvents;

    volatile boolean stuck;
    /** A broken channel: its configuration calls fail, as DAHDI's ioctls do with EIO on a faulty card. */
    volatile boolean broken;
    volatile long writeUnderruns;
    /** Of {@link #writeUnderruns}, those on catch-up ticks (SimulatedCard.catchUpUnderruns). */
    volatile long catchUpUnderruns;
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
        this.rxQueueBlocks = config.rxQueueBlocks();
        this.idleBlock = new byte[blockSize];
        Arrays.fill(idleBlock, idleCode);
        this.flushBuffer = ByteBuffer.allocateDirect(blockSize);
        this.fromGateway = ByteBuffer.allocateDirect(blockSize);
        this.toGateway = ByteBuffer.allocateDirect(blockSize);
        this.fromGatewayAddress = DirectBufferAddress.addressOf(fromGateway);
        this.toGatewayAddress = DirectBufferAddress.addressOf(toGateway);
    }

    // ------------------------------------------------------------------ card side

    /**
     * One period on the clock thread: take the gateway's block, exchange with the far end, deliver.
     * {@code catchUp}: this period runs right after the previous one, the clock thread having woken
     * late, so the gateway had no time to answer the block delivered just before.
     */
    void tick(SimFarEnd farEnd, boolean red, boolean catchUp) {
        if (peerGone) {
            return;
        }
        // Nothing written since the card's last read: the read would be EAGAIN, so skip it.
        int n = gatewayWrites == cardReads ? Posix.WOULD_BLOCK : posix.read(cardFd, fromGatewayAddress, blockSize);
        if (n >= 0) {
            cardReads++;
        }
        if (n == blockSize) {
            blocksReceived++;
        } else if (n == 0) {
            peerGone = true;            // gateway closed its end (or wrote an empty packet)
            return;
        } else if (n > 0) {
            fill(fromGateway, n, idleCode); // short block: pad like a card would play idle
            blocksReceived++;
        } else {
            writeUnderruns++;
            if (catchUp) {
                catchUpUnderruns++;
            }
            fromGateway.put(0, idleBlock);
            if (bufferEvents) {
                postEvent(TdmEvents.WRITE_UNDERRUN);
            }
        }
        fromGateway.clear();
        toGateway.clear();
        if (farEnd != null && !red) {
            farEnd.exchangeBlock(chanpos, fromGateway, toGateway);
        } else {
            toGateway.put(0, idleBlock);
        }
        if (stuck) {
            return;
        }
        if (queuedTowardsGateway() < rxQueueBlocks && posix.write(cardFd, toGatewayAddress, blockSize) == blockSize) {
            blocksDelivered++;
        } else {
            readOverruns++;             // gateway is not reading: drop this block
            if (bufferEvents) {
                postEvent(TdmEvents.READ_OVERRUN);
            }
        }
    }

    /** Clock thread (the only producer): queues an event; dropped when the ring is full. */
    void postEvent(int event) {
        int in = eventsIn;
        if (in - eventsOut == MAX_EVENTS) {
            return;
        }
        events[in & (MAX_EVENTS - 1)] = event;
        eventsIn = in + 1;
    }

    private boolean eventPending() {
        return eventsIn != eventsOut;
    }

    /**
     * Blocks waiting for the gateway, as FIONREAD / block size would count them (every block the
     * card writes is whole). Clock thread.
     */
    long queuedTowardsGateway() {
        return blocksDelivered - gatewayReads;
    }

    /** Blocks the gateway wrote that the card has not taken yet. Clock thread. */
    long queuedFromGateway() {
        return gatewayWrites - cardReads;
    }

    /** Drops what the gateway wrote but the card has not played yet (DAHDI_FLUSH_WRITE). Clock thread. */
    void drainFromGateway() {
        for (int i = 0; i < 256; i++) {
            int n = posix.read(cardFd, fromGatewayAddress, blockSize);
            if (n < 0) {
                break;
            }
            cardReads++;
            if (n == 0) {
                break;
            }
        }
    }

    /** Closes both ends. Clock thread (or any thread once the clock has stopped). */
    void closeFds() {
        closed = true;
        posix.closeQuietly(gatewayFd);
        posix.closeQuietly(cardFd);
    }

    private void failIfBroken(String ioctl) {
        if (broken) {
            throw new TdmException("sim channel " + channo + ": " + ioctl + " failed: Input/output error (errno 5,"
                    + " the simulated card's broken channel)");
        }
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
        failIfBroken("SETLAW");
        this.law = law;
    }

    TdmLaw law() {
        return law;
    }

    @Override
    public void setAudioMode(boolean audio) {
        failIfBroken("AUDIOMODE");
        this.audioMode = audio;
    }

    boolean audioMode() {
        return audioMode;
    }

    /** The simulated card has no echo canceller: the setting is kept and reported, bytes pass unchanged. */
    @Override
    public void setEchoCanceller(int tapLength) {
        failIfBroken("ECHOCANCEL_PARAMS");
        if (tapLength < 0) {
            throw new TdmException("sim channel " + channo + ": echo canceller tap length must be >= 0, got " + tapLength);
        }
        this.echoCancellerTaps = tapLength;
    }

    int echoCancellerTaps() {
        return echoCancellerTaps;
    }

    /** DAHDI_FLUSH_* bits: READ 1 (blocks waiting for the gateway), WRITE 2 (blocks not yet played), EVENT 4. */
    @Override
    public void flush(int which) {
        if ((which & 1) != 0) {
            for (int i = 0; i < 256; i++) {
                flushBuffer.clear();
                GATEWAY_READS.getAndAdd(this, 1L);
                if (posix.read(gatewayFd, flushBuffer, flushAddress) <= 0) {
                    GATEWAY_READS.getAndAdd(this, -1L);
                    break;
                }
            }
        }
        if ((which & 2) != 0) {
            card.execute(this::drainFromGateway);
        }
        if ((which & 4) != 0) {
            eventsOut = eventsIn;
        }
    }

    /** Queues WRITE_UNDERRUN / READ_OVERRUN for every period the card ran dry or dropped a block. */
    @Override
    public void setBufferEvents(boolean on) {
        bufferEvents = on;
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
        if (eventPending()) {
            return EVENT_PENDING;
        }
        boolean noRoom = !dst.hasRemaining();
        GATEWAY_READS.getAndAdd(this, 1L);
        int n = posix.read(gatewayFd, dst, readAddress);
        if (n > 0) {
            return n;
        }
        if (n != 0 || !noRoom) {
            GATEWAY_READS.getAndAdd(this, -1L); // no packet taken (a 0-byte read still dequeues one)
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
        if (eventPending()) {
            return EVENT_PENDING;
        }
        GATEWAY_WRITES.getAndAdd(this, 1L);
        int n = posix.write(gatewayFd, src, writeAddress);
        if (n >= 0) {
            return n;
        }
        GATEWAY_WRITES.getAndAdd(this, -1L);
        if (n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED || n == -LibC.ENOBUFS) {
            return WOULD_BLOCK;
        }
        return CLOSED;
    }

    /** Pops one event (owning thread only): ALARM/NOALARM on span alarm changes, buffer events if enabled. */
    @Override
    public int nextEvent() {
        int out = eventsOut;
        if (out == eventsIn) {
            return TdmEvents.NONE;
        }
        int e = events[out & (MAX_EVENTS - 1)];
        eventsOut = out + 1;
        return e;
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
