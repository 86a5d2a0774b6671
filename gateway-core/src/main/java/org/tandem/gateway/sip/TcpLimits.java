package org.tandem.gateway.sip;

import org.tandem.config.SipConfig;

/**
 * Bounds of each SIP stream listener (TCP on {@code [sip] listen}, TLS on {@code tls_listen}), kept
 * by {@code sip.stack.ConnectionGuard} (docs/SECURITY.md "TCP abuse").
 *
 * @param perSource connections one untrusted address may hold at once on one listener
 * @param total connections one listener holds at once, trusted ones included; below the RI's
 *     {@code MAX_CONNECTIONS} (1024), at which it would stop accepting altogether
 * @param idleTimeoutMs a connection that has not delivered a whole message this long after it was
 *     accepted (for TLS: the handshake included) is closed
 * @param messageTimeoutMs a message arriving this long without its end (slowloris) closes its connection
 */
public record TcpLimits(int perSource, int total, long idleTimeoutMs, long messageTimeoutMs) {
    /** The RI's own connection limit per listener (SipStackFactory MAX_CONNECTIONS). */
    public static final int RI_MAX_CONNECTIONS = 1024;
    /** [sip] tcp_* defaults: 32 per source, 768 in all, 10 s to the first message, 8 s per message. */
    public static final TcpLimits DEFAULTS = new TcpLimits(32, 768, 10_000, 8_000);

    public TcpLimits {
        if (perSource < 1 || total < 1 || total >= RI_MAX_CONNECTIONS || perSource > total) {
            throw new IllegalArgumentException("TCP limits: need 1 <= per source (" + perSource + ") <= total ("
                    + total + ") < " + RI_MAX_CONNECTIONS);
        }
        if (idleTimeoutMs < 1 || messageTimeoutMs < 1) {
            throw new IllegalArgumentException("TCP timeouts must be positive: " + idleTimeoutMs + ", "
                    + messageTimeoutMs);
        }
    }

    /** From {@code [sip] tcp_*} (validated there); the defaults when the file has none. */
    public static TcpLimits of(SipConfig.TcpBounds b) {
        return b == null ? DEFAULTS
                : new TcpLimits(b.maxPerSource(), b.maxConnections(), b.idleTimeoutS() * 1000L,
                        b.messageTimeoutS() * 1000L);
    }
}
