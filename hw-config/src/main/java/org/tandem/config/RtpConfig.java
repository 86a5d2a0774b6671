package org.tandem.config;

/** {@code [rtp]}: media ports, packetisation and the jitter buffer; RTP binds the SIP listen host. */
public record RtpConfig(PortRange ports, int ptimeMs, int jitterMinMs, int jitterMaxMs, int dscp) {
}
