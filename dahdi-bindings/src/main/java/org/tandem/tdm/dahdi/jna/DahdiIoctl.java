package org.tandem.tdm.dahdi.jna;

/**
 * The DAHDI ioctls a PRI gateway uses, computed the way {@code <asm-generic/ioctl.h>} does
 * (x86_64, aarch64):
 * <pre>
 *  31 30 29            16 15        8 7          0
 *  +-----+---------------+-----------+------------+
 *  | dir |     size      | type 0xDA |   number   |
 *  +-----+---------------+-----------+------------+
 *  dir: 1 = _IOW (user writes), 2 = _IOR (user reads), 3 = _IOWR
 * </pre>
 * The size is the C struct's size, taken from the JNA structure that maps it, so a struct that
 * drifts changes the request number too (and the ABI test catches both).
 */
public enum DahdiIoctl {
    DAHDI_GET_BLOCKSIZE(Dir.R, 1, Size.INT),
    DAHDI_SET_BLOCKSIZE(Dir.W, 1, Size.INT),
    DAHDI_FLUSH(Dir.W, 3, Size.INT),
    DAHDI_GET_PARAMS(Dir.WR, 5, DahdiParams.SIZE),
    DAHDI_GETEVENT(Dir.R, 8, Size.INT),
    DAHDI_SPANSTAT(Dir.WR, 10, DahdiSpanInfo.SIZE),
    DAHDI_SPANCONFIG(Dir.W, 18, DahdiLineConfig.SIZE),
    DAHDI_CHANCONFIG(Dir.W, 19, DahdiChanConfig.SIZE),
    DAHDI_GET_BUFINFO(Dir.R, 27, DahdiBufferInfo.SIZE),
    DAHDI_SET_BUFINFO(Dir.W, 27, DahdiBufferInfo.SIZE),
    DAHDI_AUDIOMODE(Dir.W, 32, Size.INT),
    DAHDI_ECHOCANCEL_PARAMS(Dir.W, 33, DahdiEchoCanParams.HEADER_SIZE),
    DAHDI_SPECIFY(Dir.W, 38, Size.INT),
    DAHDI_SETLAW(Dir.W, 39, Size.INT),
    DAHDI_SETLINEAR(Dir.W, 40, Size.INT),
    DAHDI_STARTUP(Dir.W, 99, Size.INT),
    DAHDI_SHUTDOWN(Dir.W, 100, Size.INT),
    DAHDI_BUFFER_EVENTS(Dir.W, 105, Size.INT);

    private enum Dir {
        W(1), R(2), WR(3);

        final int bits;

        Dir(int bits) {
            this.bits = bits;
        }
    }

    private static final class Size {
        static final int INT = 4;
    }

    private final long request;

    DahdiIoctl(Dir dir, int number, int size) {
        this.request = ioc(dir.bits, Dahdi.DAHDI_CODE, number, size);
    }

    /** {@code _IOC(dir, type, nr, size)}: the 32-bit request, as an unsigned value. */
    static long ioc(int dir, int type, int number, int size) {
        if (size < 0 || size >= (1 << 14)) {
            throw new IllegalArgumentException("ioctl size " + size + " does not fit 14 bits");
        }
        return ((long) dir << 30) | ((long) size << 16) | ((long) type << 8) | number;
    }

    /** The request number to pass to ioctl(2). */
    public long request() {
        return request;
    }

    /** The C macro name, for messages. */
    public String cName() {
        return name();
    }
}
