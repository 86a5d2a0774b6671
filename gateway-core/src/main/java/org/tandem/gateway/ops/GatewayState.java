package org.tandem.gateway.ops;

/** Life cycle of the gateway process; {@link #code()} is tgGatewayState in TANDEM-GATEWAY-MIB. */
public enum GatewayState {
    /** Configuration loaded, spans and SIP not yet all up. */
    STARTING(1),
    /** Accepting calls. */
    RUNNING(2),
    /** Shutting down: new calls refused, active calls being released. */
    STOPPING(3),
    /** Drained by the operator ({@code tandem ctl drain}): new calls refused, calls in progress go on. */
    DRAINING(4);

    private final int code;

    GatewayState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
