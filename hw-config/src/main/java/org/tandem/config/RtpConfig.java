package org.tandem.config;

/**
 * {@code [rtp]}: media ports, packetisation, the jitter buffer and the media agent threads; RTP
 * binds the SIP listen host.
 *
 * @param mediaAgents media agent threads; 0 = one per available core (resolved at start)
 */
public record RtpConfig(PortRange ports, int ptimeMs, int jitterMinMs, int jitterMaxMs, int dscp, int mediaAgents) {
}
