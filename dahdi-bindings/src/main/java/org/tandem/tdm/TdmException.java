package org.tandem.tdm;

/** A TDM operation failed; the message names the operation, its arguments and the reason. */
public class TdmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TdmException(String message) {
        super(message);
    }

    public TdmException(String message, Throwable cause) {
        super(message, cause);
    }
}
