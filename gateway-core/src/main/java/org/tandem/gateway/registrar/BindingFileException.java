package org.tandem.gateway.registrar;

/** A bindings file that cannot be read as one at all: unreadable, not ours, or of another version. */
public final class BindingFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public BindingFileException(String message, Throwable cause) {
        super(message, cause);
    }

    public BindingFileException(String message) {
        super(message);
    }
}
