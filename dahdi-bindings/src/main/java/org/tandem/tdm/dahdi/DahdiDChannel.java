package org.tandem.tdm.dahdi;

import java.nio.ByteBuffer;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.dahdi.jna.Dahdi;

/**
 * The D-channel of a DAHDI span: a channel in HDLCFCS (or HARDHDLC) mode, so each read is one
 * frame with 2 trailing FCS bytes and each write is one frame (libpri's convention). Span events
 * appear on the same descriptor as POLLPRI and are taken with GETEVENT; ALARM/NOALARM refresh the
 * span's alarms. Used by the PRI signalling thread only.
 */
final class DahdiDChannel implements DChannel {
    /** chan_dahdi's D-channel buffers: IMMEDIATE both ways, 32 buffers of 1024 bytes. */
    static final int NUM_BUFS = 32;
    static final int BUF_SIZE = 1024;

    private final DahdiDevice dev;
    private final DahdiSpan span;
    private final Posix posix;
    private final ByteBuffer frame = ByteBuffer.allocateDirect(BUF_SIZE);
    private final long frameAddress = org.tandem.jna.libc.DirectBufferAddress.addressOf(frame);
    private boolean closed;

    DahdiDChannel(DahdiDevice dev, DahdiSpan span) {
        this.dev = dev;
        this.span = span;
        this.posix = dev.posix();
        dev.setBufferInfo(Dahdi.DAHDI_POLICY_IMMEDIATE, Dahdi.DAHDI_POLICY_IMMEDIATE, NUM_BUFS, BUF_SIZE);
    }

    @Override
    public int fd() {
        return dev.fd();
    }

    @Override
    public int eventFd() {
        return dev.fd();
    }

    @Override
    public short eventPollMask() {
        return LibC.POLLPRI;
    }

    @Override
    public int nextEvent() {
        int e;
        try {
            e = dev.getEvent();
        } catch (DahdiException ex) {
            return TdmEvents.NONE;
        }
        if (e == TdmEvents.ALARM || e == TdmEvents.NOALARM) {
            span.refreshAlarms();
        }
        return e;
    }

    /** One frame; 0 if none is waiting or an event is pending (poll POLLPRI); -1 if the channel is gone. */
    @Override
    public int readFrame(byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        int n = posix.read(dev.fd(), frameAddress, Math.min(len, BUF_SIZE));
        if (n > 0) {
            frame.get(0, buf, off, n);
            return n;
        }
        return n == 0 || n == Posix.WOULD_BLOCK || n == Posix.EVENT_PENDING || n == Posix.INTERRUPTED ? 0 : -1;
    }

    @Override
    public int writeFrame(byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        if (len > BUF_SIZE) {
            throw new IllegalArgumentException("D-channel frame of " + len + " bytes exceeds " + BUF_SIZE);
        }
        frame.put(0, buf, off, len);
        int n = posix.write(dev.fd(), frameAddress, len);
        if (n >= 0) {
            return n;
        }
        return n == Posix.WOULD_BLOCK || n == Posix.EVENT_PENDING || n == Posix.INTERRUPTED ? 0 : -1;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            dev.close();
        }
    }
}
