package org.tandem.tdm.sim;

import java.nio.ByteBuffer;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.DChannel;

/**
 * A simulated D-channel. Two SEQPACKET socketpairs and a relay in the card's clock thread:
 * <pre>
 *  gateway (libpri CPE)          card clock thread               far end (exchange libpri)
 *  gatewayFd <==pair==> cardGatewayFd --relay--> cardFarFd <==pair==> farFd
 *                                     <--relay--
 * </pre>
 * The relay is what lets the card drop frames (red alarm, D-channel loss) the way a broken line
 * would. Frames are passed unchanged, FCS bytes included: libpri on both sides adds and strips them.
 *
 * <p>Gateway side: the PRI signalling thread. Relay: the clock thread.
 */
final class SimDChannel implements DChannel {
    static final int MAX_FRAME = 2048;
    /** Frames relayed per direction per period, so a flood cannot starve the B-channels. */
    private static final int MAX_FRAMES_PER_TICK = 64;

    private final SimSpan span;
    private final Posix posix;
    private final int gatewayFd;
    private final int cardGatewayFd;
    private final int farFd;
    private final int cardFarFd;

    private final ByteBuffer gatewayBuf = ByteBuffer.allocateDirect(MAX_FRAME);
    private final long gatewayBufAddress;
    private final ByteBuffer relayBuf = ByteBuffer.allocateDirect(MAX_FRAME);
    private final long relayAddress;
    private boolean towardsFarOpen = true;
    private boolean towardsGatewayOpen = true;
    private volatile boolean closed;

    volatile long framesToFar;
    volatile long framesToGateway;
    volatile long framesDropped;

    SimDChannel(SimSpan span, Posix posix, int[] gatewayPair, int[] farPair) {
        this.span = span;
        this.posix = posix;
        this.gatewayFd = gatewayPair[0];
        this.cardGatewayFd = gatewayPair[1];
        this.farFd = farPair[0];
        this.cardFarFd = farPair[1];
        this.gatewayBufAddress = org.tandem.jna.libc.DirectBufferAddress.addressOf(gatewayBuf);
        this.relayAddress = org.tandem.jna.libc.DirectBufferAddress.addressOf(relayBuf);
    }

    int farFd() {
        return farFd;
    }

    /** Clock thread: moves every waiting frame one hop, or drops it while the line is down. */
    void relay(boolean lineDown) {
        if (towardsFarOpen) {
            towardsFarOpen = relayOneWay(cardGatewayFd, cardFarFd, lineDown, true);
        }
        if (towardsGatewayOpen) {
            towardsGatewayOpen = relayOneWay(cardFarFd, cardGatewayFd, lineDown, false);
        }
    }

    private boolean relayOneWay(int from, int to, boolean lineDown, boolean towardsFar) {
        for (int i = 0; i < MAX_FRAMES_PER_TICK; i++) {
            int n = posix.read(from, relayAddress, MAX_FRAME);
            if (n == 0) {
                // The sender closed its end: show the hang-up to the other side (read() == 0, POLLHUP).
                posix.closeQuietly(to);
                return false;
            }
            if (n < 0) {
                return true;
            }
            if (lineDown) {
                framesDropped++;
                continue;
            }
            if (posix.write(to, relayAddress, n) == n) {
                if (towardsFar) {
                    framesToFar++;
                } else {
                    framesToGateway++;
                }
            } else {
                framesDropped++;
            }
        }
        return true;
    }

    void closeFds() {
        closed = true;
        posix.closeQuietly(gatewayFd);
        if (towardsGatewayOpen) {
            posix.closeQuietly(cardGatewayFd);
        }
        posix.closeQuietly(farFd);
        if (towardsFarOpen) {
            posix.closeQuietly(cardFarFd);
        }
        towardsFarOpen = false;
        towardsGatewayOpen = false;
    }

    @Override
    public int fd() {
        return gatewayFd;
    }

    @Override
    public int eventFd() {
        return span.eventFd();
    }

    @Override
    public short eventPollMask() {
        return LibC.POLLIN;
    }

    @Override
    public int nextEvent() {
        return span.popEvent();
    }

    /** Returns the frame length, 0 if none is waiting, -1 if the far side hung up or the channel is closed. */
    @Override
    public int readFrame(byte[] buf, int off, int len) {
        if (closed) {
            return -1;
        }
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        int n = posix.read(gatewayFd, gatewayBufAddress, Math.min(len, MAX_FRAME));
        if (n > 0) {
            gatewayBuf.get(0, buf, off, n);
            return n;
        }
        return n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED ? 0 : -1;
    }

    /** Returns bytes written, 0 if the channel cannot take the frame now, -1 if it is closed. */
    @Override
    public int writeFrame(byte[] buf, int off, int len) {
        if (closed) {
            return -1;
        }
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        if (len > MAX_FRAME) {
            throw new IllegalArgumentException("D-channel frame of " + len + " bytes exceeds " + MAX_FRAME);
        }
        gatewayBuf.put(0, buf, off, len);
        int n = posix.write(gatewayFd, gatewayBufAddress, len);
        if (n >= 0) {
            return n;
        }
        return n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED || n == -LibC.ENOBUFS ? 0 : -1;
    }

    /** Closes the gateway's and the far end's descriptors (on the clock thread). */
    @Override
    public void close() {
        if (!closed) {
            span.card().execute(this::closeFds);
        }
    }

    boolean isClosed() {
        return closed;
    }
}
