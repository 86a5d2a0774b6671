package org.tandem.gateway.ops;

/**
 * What an operator sees of a B-channel. Derived, in this order of precedence: a call on it
 * ({@link #BUSY}), its span out of service or D-channel down ({@link #ALARM}), blocked by the
 * operator ({@link #BLOCKED}), else {@link #IDLE}. A channel blocked while busy stays
 * {@link #BUSY} until its call ends (drain), then shows {@link #BLOCKED}.
 * {@link #code()} is the TgChannelState enumeration in TANDEM-GATEWAY-MIB.
 */
public enum ChannelStatus {
    IDLE(1), BUSY(2), BLOCKED(3), ALARM(4);

    private final int code;

    ChannelStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
