package org.tandem.gateway.ops;

/**
 * What an operator sees of a B-channel. Derived, in this order of precedence: taken out of service
 * by the gateway after calls in a row failed on it, and not yet proven by a trial call
 * ({@link #FAULT}, also while the call that failed last is being released or a trial call is on
 * it), a call on it ({@link #BUSY}), its span out of service or D-channel down ({@link #ALARM}),
 * blocked by the operator ({@link #BLOCKED}), else {@link #IDLE}. A channel blocked while busy stays
 * {@link #BUSY} until its call ends (drain), then shows {@link #BLOCKED}.
 * {@link #code()} is the TgChannelState enumeration in TANDEM-GATEWAY-MIB.
 */
public enum ChannelStatus {
    IDLE(1), BUSY(2), BLOCKED(3), ALARM(4), FAULT(5);

    private final int code;

    ChannelStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
