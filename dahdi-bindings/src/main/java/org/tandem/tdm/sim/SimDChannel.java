package org.tandem.tdm.sim;

import java.util.Objects;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.DChannel;

/**
 * A simulated D-channel: one AF_UNIX SOCK_SEQPACKET socketpair, one whole HDLC frame per packet.
 * <pre>
 *  gateway (libpri CPE)                                  far end (exchange libpri NETWORK)
 *  this class: gatewayFd  &lt;========= pair =========&gt;  farFd (SimulatedCard.farDChannelFd)
 * </pre>
 * A line fault (red alarm, D-channel loss) is applied at the gateway end: while the line is down,
 * a frame the gateway writes is discarded instead of sent, and a frame that arrives from the far
 * end is read and discarded instead of returned. Both libpri instances then see what a cut line
 * shows them, silence, and recover through Q.921 (T200/N200/T203) once it is back. No relay
 * thread is needed, so frames cross at once, as on a card. Frames pass unchanged, FCS bytes
 * included: libpri on both sides adds and strips them. A closed end shows as a hang-up on the
 * other (read() == 0, POLLHUP).
 *
 * <p>Gateway side: the PRI signalling thread. The far end belongs to whoever drives it.
 */
final class SimDChannel implements DChannel {
    static final int MAX_FRAME = 2048;

    private final SimSpan span;
    private final Posix posix;
    private final int gatewayFd;
    private final int farFd;
    private final byte[] scratch = new byte[MAX_FRAME];
    private volatile boolean gatewayClosed;
    private volatile boolean farClosed;

    volatile long framesDropped;

    SimDChannel(SimSpan span, Posix posix, int[] pair) {
        this.span = span;
        this.posix = posix;
        this.gatewayFd = pair[0];
        this.farFd = pair[1];
    }

    int farFd() {
        return farFd;
    }

    /** Closes both ends (span or card closing). */
    synchronized void closeFds() {
        closeGatewayEnd();
        if (!farClosed) {
            farClosed = true;
            posix.closeQuietly(farFd);
        }
    }

    private synchronized void closeGatewayEnd() {
        if (!gatewayClosed) {
            gatewayClosed = true;
            posix.closeQuietly(gatewayFd);
        }
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

    /**
     * Returns the frame length, 0 if none is waiting (or the one waiting was lost on a line that
     * is down), -1 if the far end hung up or the channel is closed.
     */
    @Override
    public int readFrame(byte[] buf, int off, int len) {
        if (gatewayClosed) {
            return -1;
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        byte[] target = off == 0 ? buf : scratch;
        int n = posix.read(gatewayFd, target, Math.min(len, MAX_FRAME));
        if (n == 0) {
            return -1;
        }
        if (n < 0) {
            return n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED ? 0 : -1;
        }
        if (span.lineDown()) {
            framesDropped++;
            return 0;
        }
        if (target != buf) {
            System.arraycopy(scratch, 0, buf, off, n);
        }
        return n;
    }

    /**
     * Returns bytes written (a frame lost on a line that is down counts as written: the sender
     * cannot tell), 0 if the socket cannot take the frame now, -1 if the channel is closed.
     */
    @Override
    public int writeFrame(byte[] buf, int off, int len) {
        if (gatewayClosed) {
            return -1;
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > MAX_FRAME) {
            throw new IllegalArgumentException("D-channel frame of " + len + " bytes exceeds " + MAX_FRAME);
        }
        if (span.lineDown()) {
            framesDropped++;
            return len;
        }
        byte[] src = buf;
        if (off != 0) {
            System.arraycopy(buf, off, scratch, 0, len);
            src = scratch;
        }
        int n = posix.write(gatewayFd, src, len);
        if (n >= 0) {
            return n;
        }
        return n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED || n == -LibC.ENOBUFS ? 0 : -1;
    }

    /** Closes the gateway's end; the far end sees the hang-up (read() == 0, POLLHUP). */
    @Override
    public void close() {
        closeGatewayEnd();
    }

    boolean isClosed() {
        return gatewayClosed;
    }
}
