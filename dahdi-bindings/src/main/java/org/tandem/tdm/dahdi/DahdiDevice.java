package org.tandem.tdm.dahdi;

import java.nio.file.Path;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.jna.libc.PosixException;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.dahdi.jna.Dahdi;
import org.tandem.tdm.dahdi.jna.DahdiBufferInfo;
import org.tandem.tdm.dahdi.jna.DahdiEchoCanParams;
import org.tandem.tdm.dahdi.jna.DahdiIoctl;
import org.tandem.tdm.dahdi.jna.DahdiParams;
import org.tandem.tdm.dahdi.jna.DahdiSpanInfo;

/**
 * The checked API over one DAHDI descriptor ({@code /dev/dahdi/channel} bound with SPECIFY, or
 * {@code /dev/dahdi/ctl}). Every method is one ioctl; a failure throws {@link TdmException}
 * naming what the gateway tried, the ioctl, its argument and errno. Not thread-safe: one owner.
 */
public final class DahdiDevice implements AutoCloseable {
    private final Posix posix;
    private final String path;
    private final int fd;
    private String what;

    private DahdiDevice(Posix posix, String path, int fd) {
        this.posix = posix;
        this.path = path;
        this.fd = fd;
        this.what = path;
    }

    /** Opens {@code path} read-write, non-blocking, close-on-exec. */
    public static DahdiDevice open(Posix posix, Path path) {
        String p = path.toString();
        try {
            return new DahdiDevice(posix, p, posix.open(p, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC));
        } catch (PosixException e) {
            throw new TdmException("cannot open " + p + ": " + e.getMessage()
                + (e.errno() == LibC.ENOENT ? " (is the dahdi kernel module loaded?)" : ""), e);
        }
    }

    public int fd() {
        return fd;
    }

    Posix posix() {
        return posix;
    }

    /** Binds this descriptor to global channel {@code channo}; the first ioctl on /dev/dahdi/channel. */
    public void specify(int channo) {
        ioctl(DahdiIoctl.DAHDI_SPECIFY, channo);
        what = path + " (channo " + channo + ")";
    }

    public DahdiParams getParams(DahdiParams into) {
        into.channo = 0;
        ioctl(DahdiIoctl.DAHDI_GET_PARAMS, into);
        return into;
    }

    public void setBlockSize(int bytes) {
        ioctl(DahdiIoctl.DAHDI_SET_BLOCKSIZE, bytes);
    }

    public int getBlockSize() {
        return ioctlInt(DahdiIoctl.DAHDI_GET_BLOCKSIZE, 0);
    }

    public void setLaw(int dahdiLaw) {
        ioctl(DahdiIoctl.DAHDI_SETLAW, dahdiLaw);
    }

    public void setLinear(boolean linear) {
        ioctl(DahdiIoctl.DAHDI_SETLINEAR, linear ? 1 : 0);
    }

    public void setAudioMode(boolean audio) {
        ioctlInt(DahdiIoctl.DAHDI_AUDIOMODE, audio ? 1 : 0);
    }

    /** Tail in taps (8 per ms); 0 disables. No extra parameters: the driver's defaults apply. */
    public void setEchoCanceller(DahdiEchoCanParams params, int tapLength) {
        params.tap_length = tapLength;
        params.param_count = 0;
        ioctl(DahdiIoctl.DAHDI_ECHOCANCEL_PARAMS, params);
    }

    public void flush(int which) {
        ioctlInt(DahdiIoctl.DAHDI_FLUSH, which);
    }

    public void setBufferInfo(int txPolicy, int rxPolicy, int numBufs, int bufSize) {
        DahdiBufferInfo bi = new DahdiBufferInfo();
        bi.txbufpolicy = txPolicy;
        bi.rxbufpolicy = rxPolicy;
        bi.numbufs = numBufs;
        bi.bufsize = bufSize;
        ioctl(DahdiIoctl.DAHDI_SET_BUFINFO, bi);
    }

    public DahdiBufferInfo getBufferInfo() {
        DahdiBufferInfo bi = new DahdiBufferInfo();
        ioctl(DahdiIoctl.DAHDI_GET_BUFINFO, bi);
        return bi;
    }

    /** Enables READ_OVERRUN / WRITE_UNDERRUN events on this channel. */
    public void setBufferEvents(boolean on) {
        ioctlInt(DahdiIoctl.DAHDI_BUFFER_EVENTS, on ? 1 : 0);
    }

    /** Pops one event (DAHDI_EVENT_*), 0 when none. */
    public int getEvent() {
        return ioctlInt(DahdiIoctl.DAHDI_GETEVENT, 0);
    }

    /** SPANSTAT for {@code spanno}; 0 means the span of this descriptor's channel. */
    public DahdiSpanInfo spanStat(int spanno, DahdiSpanInfo into) {
        into.spanno = spanno;
        ioctl(DahdiIoctl.DAHDI_SPANSTAT, into);
        return into;
    }

    void ioctl(DahdiIoctl io, int value) {
        ioctlInt(io, value);
    }

    /**
     * Every int argument of a DAHDI ioctl is passed by pointer (the driver does
     * {@code get_user(x, (int __user *)data)}), so the value goes through memory both ways.
     */
    int ioctlInt(DahdiIoctl io, int value) {
        try {
            return posix.ioctlInt(fd, io.request(), io.cName(), value);
        } catch (PosixException e) {
            throw fail(e);
        }
    }

    void ioctl(DahdiIoctl io, com.sun.jna.Structure arg) {
        try {
            posix.ioctl(fd, io.request(), io.cName(), arg);
        } catch (PosixException e) {
            throw fail(e);
        }
    }

    private TdmException fail(PosixException e) {
        return new DahdiException(what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        posix.closeQuietly(fd);
    }

    @Override
    public String toString() {
        return what;
    }

    /** Signalling types accepted for a PRI D-channel, for messages. */
    static String hdlcTypes() {
        return Dahdi.sigtypeName(Dahdi.DAHDI_SIG_HDLCFCS) + " or " + Dahdi.sigtypeName(Dahdi.DAHDI_SIG_HARDHDLC);
    }
}
