package org.tandem.config;

import java.util.List;

/**
 * {@code [sip]}: the SIP listener. Timers are RFC 3261 section 17 (T1, T2, T4) and RFC 4028
 * (session timers); {@code dscp} is the 6-bit DiffServ code point for signalling packets.
 *
 * @param tls the TLS listener and its certificate, or null when {@code tls_listen} is unset
 * @param tcp the bounds of the TCP and TLS listeners ({@code tcp_*}, docs/SECURITY.md "TCP abuse")
 */
public record SipConfig(HostPort listen, List<Transport> transports, String userAgent, int t1Ms,
        int t2Ms, int t4Ms, int sessionExpiresS, int minSeS, int dscp, List<String> dropUserAgents,
        int sourceRateLimit, TlsConfig tls, TcpBounds tcp) {

    /** udp and tcp listen on {@code listen}; tls on {@code tls_listen} (a trunk's transport may be any). */
    public enum Transport implements Token {
        UDP, TCP, TLS;
    }

    /**
     * {@code tcp_max_connections_per_source}, {@code tcp_max_connections}, {@code tcp_idle_timeout_s},
     * {@code tcp_message_timeout_s}: each applies to the TCP and to the TLS listener separately.
     */
    public record TcpBounds(int maxPerSource, int maxConnections, int idleTimeoutS, int messageTimeoutS) {
    }
}
