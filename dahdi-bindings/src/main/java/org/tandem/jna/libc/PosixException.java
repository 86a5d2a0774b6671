package org.tandem.jna.libc;

/**
 * A C library call failed. The message names the call, its arguments and errno, e.g.
 * {@code ioctl(fd=7, DAHDI_SPECIFY, 42) failed: ENXIO (No such device or address)}.
 */
public class PosixException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public PosixException(String call, int errno, String errnoText) {
        super(call + " failed: " + Errno.name(errno) + " (" + errnoText + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The call and its arguments as written in the message, e.g. {@code open("/dev/dahdi/ctl", O_RDWR)}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
