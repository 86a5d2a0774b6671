package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import org.tandem.codecs.plc.PacketLossConcealer;
import org.tandem.gateway.rtp.RtcpReport;

/**
 * One media agent's buffers (docs/MEDIA.md, "Buffers per call"): the free lists of the direct
 * buffers its channels take at attach and hand back at detach, the packet loss concealers lent to a
 * channel for the length of a loss only, and the scratch that every channel of the agent uses
 * within one call of its methods (the decoded RTCP report).
 *
 * <p>Owned by one thread, the agent's (a channel is built, run and detached there): no lock, no
 * atomics. A channel outside any agent ({@link MediaChannel#open}) gets a private instance.
 *
 * <p>The free lists grow on demand: a buffer is allocated when the list is empty (at attach, or at
 * the first lost frame of a loss for a concealer) and kept when handed back, up to {@link #maxFree}
 * per list for direct buffers, and for concealers up to one per channel up, lent ones included (at
 * least {@link #MIN_FREE_CONCEALERS}); beyond that it is left to the GC. So the free buffers never outnumber the agent's peak
 * of channels (each was once a channel's), and a quiet agent holds none. The per-frame path
 * allocates only when a loss starts while every concealer is lent: once the agent has met its usual
 * number of simultaneous losses, nothing.
 */
final class MediaBuffers {
    /** Default bound of each free list: more than one agent's span share (960 channels). */
    static final int DEFAULT_MAX_FREE = 1024;
    /** Concealers kept whatever the load (a few losses at once on an idle agent). */
    static final int MIN_FREE_CONCEALERS = 16;

    private final int maxFree;
    private final Stack[] direct = new Stack[8];
    private int directSizes;
    private Concealer[] concealers = new Concealer[8];
    private int freeConcealers;
    private final RtcpReport rtcpReport = new RtcpReport();

    /** Channels built from these buffers and not yet released (MediaChannel). */
    private int channels;
    private long directAllocated;
    private long directReused;
    private long concealersAllocated;
    private int concealersLent;

    MediaBuffers() {
        this(DEFAULT_MAX_FREE);
    }

    MediaBuffers(int maxFree) {
        this.maxFree = maxFree;
    }

    // ------------------------------------------------------------------ direct buffers (attach, detach)

    /** A direct buffer of exactly {@code capacity} bytes, position 0 and limit its capacity. */
    ByteBuffer takeDirect(int capacity) {
        Stack s = stack(capacity);
        if (s.size > 0) {
            ByteBuffer b = s.items[--s.size];
            s.items[s.size] = null;
            directReused++;
            b.clear();
            return b;
        }
        directAllocated++;
        return ByteBuffer.allocateDirect(capacity);
    }

    /**
     * Hands {@code buffer} back. The caller must hold no other reference that can still be used:
     * the next {@link #takeDirect} of that size gives it to another channel.
     */
    void giveDirect(ByteBuffer buffer) {
        if (buffer == null) {
            return;
        }
        Stack s = stack(buffer.capacity());
        if (s.size == maxFree) {
            return; // left to the GC
        }
        if (s.size == s.items.length) {
            s.items = java.util.Arrays.copyOf(s.items, Math.min(maxFree, 2 * s.items.length));
        }
        s.items[s.size++] = buffer;
    }

    private Stack stack(int capacity) {
        for (int i = 0; i < directSizes; i++) {
            if (direct[i].capacity == capacity) {
                return direct[i];
            }
        }
        if (directSizes == direct.length) {
            throw new IllegalStateException("more than " + direct.length + " direct buffer sizes per agent");
        }
        Stack s = new Stack(capacity);
        direct[directSizes++] = s;
        return s;
    }

    private static final class Stack {
        final int capacity;
        ByteBuffer[] items = new ByteBuffer[8];
        int size;

        Stack(int capacity) {
            this.capacity = capacity;
        }
    }

    // ------------------------------------------------------------------ concealers (per loss)

    /**
     * A concealer and its work buffers, in the state of a new one (no history: nothing of the last
     * call that used it can be heard).
     */
    Concealer takeConcealer() {
        concealersLent++;
        if (freeConcealers > 0) {
            Concealer c = concealers[--freeConcealers];
            concealers[freeConcealers] = null;
            return c;
        }
        concealersAllocated++;
        return new Concealer();
    }

    /** Hands a concealer back (the loss is over, or the channel detached); cleared here. */
    void giveConcealer(Concealer c) {
        if (c == null) {
            return;
        }
        concealersLent--;
        c.plc.reset();
        // At most one concealer per channel up (lent + free), so that a channel starting a loss
        // never allocates once the agent has seen that many losses at once (a quarter of the
        // channels was tried: a starved agent then allocated 100 KB/s, MediaLoopBenchmark), and
        // the list follows the load down as channels close (channelClosed).
        if (freeConcealers + concealersLent >= concealerBound()) {
            return; // left to the GC
        }
        if (freeConcealers == concealers.length) {
            concealers = java.util.Arrays.copyOf(concealers, Math.min(maxFree, 2 * concealers.length));
        }
        concealers[freeConcealers++] = c;
    }

    /** One loss's worth of concealment state: G.711 Appendix I and the frames it works on. */
    static final class Concealer {
        final PacketLossConcealer plc = new PacketLossConcealer();
        final byte[] codes = new byte[PacketLossConcealer.FRAME];
        final short[] pcm = new short[PacketLossConcealer.FRAME];
        final short[] direct = new short[PacketLossConcealer.FRAME];
    }

    /** A channel was built from these buffers. */
    void channelOpened() {
        channels++;
    }

    /** A channel gave its buffers back (after its concealer: it still counts for that one). */
    void channelClosed() {
        channels--;
        while (freeConcealers > 0 && freeConcealers + concealersLent > concealerBound()) {
            concealers[--freeConcealers] = null; // left to the GC
        }
    }

    private int concealerBound() {
        return Math.min(maxFree, Math.max(MIN_FREE_CONCEALERS, channels));
    }

    // ------------------------------------------------------------------ scratch (within one method call)

    /** The RTCP report a packet is decoded into and read from before the next one (RtcpSession). */
    RtcpReport rtcpReport() {
        return rtcpReport;
    }

    // ------------------------------------------------------------------ figures (tests, logs)

    long directAllocated() {
        return directAllocated;
    }

    long directReused() {
        return directReused;
    }

    int freeDirect(int capacity) {
        for (int i = 0; i < directSizes; i++) {
            if (direct[i].capacity == capacity) {
                return direct[i].size;
            }
        }
        return 0;
    }

    long concealersAllocated() {
        return concealersAllocated;
    }

    /** Concealers lent now (channels in a loss). */
    int concealersLent() {
        return concealersLent;
    }

    int freeConcealers() {
        return freeConcealers;
    }
}
