package org.tandem.pri;

import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.TdmEvents;

/**
 * A D-channel over a plain frame descriptor (AF_UNIX SOCK_SEQPACKET or DGRAM), without alarms:
 * the simulated card's far end for the exchange, or one end of a socketpair in tests. Frames pass
 * unchanged, the 2 FCS bytes included (libpri on both ends adds and strips them).
 *
 * <p>Does not own the descriptor unless {@code owned}; used on the PRI engine thread only.
 */
public final class FdDChannel implements DChannel {
    private final Posix posix;
    private final int fd;
    private final boolean owned;
    private final byte[] scratch = new byte[2048];

    public FdDChannel(Posix posix, int fd, boolean owned) {
        this.posix = posix;
        this.fd = fd;
        this.owned = owned;
    }

    @Override
    public int fd() {
        return fd;
    }

    /** No event source: -1. */
    @Override
    public int eventFd() {
        return -1;
    }

    @Override
    public short eventPollMask() {
        return 0;
    }

    @Override
    public int nextEvent() {
        return TdmEvents.NONE;
    }

    @Override
    public int readFrame(byte[] buf, int off, int len) {
        byte[] target = off == 0 ? buf : scratch;
        int n = posix.read(fd, target, Math.min(len, target.length));
        if (n == 0) {
            return -1;
        }
        if (n < 0) {
            return n == -LibC.EAGAIN || n == -LibC.EINTR ? 0 : -1;
        }
        if (target != buf) {
            System.arraycopy(scratch, 0, buf, off, n);
        }
        return n;
    }

    @Override
    public int writeFrame(byte[] buf, int off, int len) {
        byte[] src = buf;
        if (off != 0) {
            System.arraycopy(buf, off, scratch, 0, len);
            src = scratch;
        }
        int n = posix.write(fd, src, len);
        return n < 0 ? 0 : n;
    }

    @Override
    public void close() {
        if (owned) {
            posix.closeQuietly(fd);
        }
    }
}
