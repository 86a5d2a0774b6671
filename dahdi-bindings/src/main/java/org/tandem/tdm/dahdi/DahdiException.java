package org.tandem.tdm.dahdi;

import org.tandem.jna.libc.PosixException;
import org.tandem.tdm.TdmException;

/** A DAHDI ioctl or device call failed; {@link #errno()} is the errno (ENXIO: no such channel). */
public class DahdiException extends TdmException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public DahdiException(String message, PosixException cause) {
        super(message, cause);
        this.errno = cause.errno();
    }

    public int errno() {
        return errno;
    }
}
