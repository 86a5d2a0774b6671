package org.tandem.config;

import java.util.List;

/**
 * {@code [sip]}: the SIP listener. Timers are RFC 3261 section 17 (T1, T2, T4) and RFC 4028
 * (session timers); {@code dscp} is the 6-bit DiffServ code point for signalling packets.
 */
public record SipConfig(HostPort listen, List<Transport> transports, String userAgent, int t1Ms,
        int t2Ms, int t4Ms, int sessionExpiresS, int minSeS, int dscp, List<String> dropUserAgents,
        int sourceRateLimit) {

    public enum Transport implements Token {
        UDP, TCP;
    }
}
