package org.tandem.config.tls;

/** A PEM file that cannot be used; the message names the file, the line and the fix. */
public final class PemException extends Exception {
    private static final long serialVersionUID = 1L;

    public PemException(String message) {
        super(message, null, false, false);
    }
}
