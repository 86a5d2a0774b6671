package org.tandem.tdm.dahdi;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import org.tandem.jna.libc.DirectBufferAddress;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.dahdi.jna.Dahdi;
import org.tandem.tdm.dahdi.jna.DahdiEchoCanParams;
import org.tandem.tdm.dahdi.jna.DahdiIoctl;
import org.tandem.tdm.dahdi.jna.DahdiParams;

/**
 * A B-channel on {@code /dev/dahdi/channel}: SPECIFY by the channo GET_PARAMS discovery found,
 * block size, buffers; per call law, audio mode, echo canceller, flush.
 *
 * <p>{@link #read}/{@link #write}/{@link #nextEvent} are the hot path: no allocation (direct
 * buffers, cached addresses, a preallocated int), status codes instead of exceptions. DAHDI
 * makes read/write fail with ELAST while an event is pending: that is {@link #EVENT_PENDING},
 * and the owner then calls {@link #nextEvent()}. One owning thread.
 */
final class DahdiBChannel implements BChannel {
    /** Buffers of one block each; 4 = 80 ms of slack for the media thread, like chan_dahdi's default. */
    static final int NUM_BUFS = 4;

    private final DahdiDevice dev;
    private final Posix posix;
    private final int fd;
    private final int channo;
    private final int spanno;
    private final int chanpos;
    private final DirectBufferAddress readAddress = new DirectBufferAddress();
    private final DirectBufferAddress writeAddress = new DirectBufferAddress();
    private final IntByReference event = new IntByReference();
    private final long getEventRequest = DahdiIoctl.DAHDI_GETEVENT.request();
    private final DahdiParams params = new DahdiParams();
    private final DahdiEchoCanParams echoCan = new DahdiEchoCanParams();
    private int blockSize;
    private boolean closed;

    DahdiBChannel(DahdiDevice dev, ChannelInfo info, int blockSize) {
        this.dev = dev;
        this.posix = dev.posix();
        this.fd = dev.fd();
        this.channo = info.channo();
        this.spanno = info.spanno();
        this.chanpos = info.chanpos();
        setBlockSize(blockSize);
    }

    @Override
    public int channo() {
        return channo;
    }

    @Override
    public int spanNumber() {
        return spanno;
    }

    @Override
    public int chanpos() {
        return chanpos;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public void setBlockSize(int bytes) {
        if (bytes < 16 || bytes > Dahdi.DAHDI_MAX_BLOCKSIZE) {
            throw new org.tandem.tdm.TdmException(dev + ": block size must be 16.." + Dahdi.DAHDI_MAX_BLOCKSIZE
                + ", got " + bytes);
        }
        dev.setBlockSize(bytes);
        dev.setBufferInfo(Dahdi.DAHDI_POLICY_IMMEDIATE, Dahdi.DAHDI_POLICY_IMMEDIATE, NUM_BUFS, bytes);
        this.blockSize = bytes;
    }

    @Override
    public void setLaw(TdmLaw law) {
        dev.setLaw(law.dahdiCode());
    }

    @Override
    public void setAudioMode(boolean audio) {
        dev.setAudioMode(audio);
    }

    @Override
    public void setEchoCanceller(int tapLength) {
        if (tapLength < 0) {
            throw new org.tandem.tdm.TdmException(dev + ": echo canceller tap length must be >= 0, got " + tapLength);
        }
        dev.setEchoCanceller(echoCan, tapLength);
    }

    @Override
    public void flush(int which) {
        dev.flush(which);
    }

    /** Enables READ_OVERRUN/WRITE_UNDERRUN events (each makes the next read/write return EVENT_PENDING). */
    @Override
    public void setBufferEvents(boolean on) {
        dev.setBufferEvents(on);
    }

    @Override
    public int alarms() {
        return dev.getParams(params).chan_alarms;
    }

    @Override
    public int read(ByteBuffer dst) {
        return status(posix.read(fd, dst, readAddress));
    }

    @Override
    public int write(ByteBuffer src) {
        return status(posix.write(fd, src, writeAddress));
    }

    private int status(int n) {
        if (n > 0) {
            return n;
        }
        if (n == Posix.WOULD_BLOCK || n == Posix.INTERRUPTED) {
            return WOULD_BLOCK;
        }
        if (n == Posix.EVENT_PENDING) {
            return EVENT_PENDING;
        }
        return n == 0 && !closed ? WOULD_BLOCK : CLOSED;
    }

    @Override
    public int nextEvent() {
        try {
            event.setValue(0);
            posix.libc().ioctl(fd, getEventRequest, event);
            return event.getValue();
        } catch (LastErrorException e) {
            return TdmEvents.NONE;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            dev.close();
        }
    }

    @Override
    public String toString() {
        return dev.toString();
    }
}
