package org.tandem.gateway.ops;

/** A {@link GatewayControl} request was refused; the message says why, for the operator. */
public class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    public ControlException(String message) {
        super(message);
    }
}
