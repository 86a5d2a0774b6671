package org.tandem.gateway.media;

import java.net.InetAddress;
import org.tandem.config.RtpConfig;

/**
 * What the media engine needs from the configuration, validated once here before anything starts.
 * Call control fills it from the {@code [rtp]} section and the SIP listen host.
 *
 * @param bindAddress   address RTP/RTCP sockets bind
 * @param portFirst     first port of the RTP range (even ports RTP, odd RTCP)
 * @param portLast      last port of the range, inclusive
 * @param dscp          DSCP code point for RTP and RTCP (IP_TOS = dscp &lt;&lt; 2); 46 = EF
 * @param jitterMinMs   lower bound of the jitter buffer's playout delay
 * @param jitterMaxMs   upper bound of the jitter buffer's playout delay
 * @param agents        media agent threads; 0 = one per available core
 * @param rtpTimeoutMs  no RTP for this long on a receiving stream raises an RTP timeout event
 */
public record MediaConfig(InetAddress bindAddress, int portFirst, int portLast, int dscp,
                          int jitterMinMs, int jitterMaxMs, int agents, int rtpTimeoutMs) {
    public MediaConfig {
        if (bindAddress == null) {
            throw new IllegalArgumentException("media bind address is missing");
        }
        if (portFirst < 1024 || portLast > 65535 || portLast - portFirst < 1) {
            throw new IllegalArgumentException("RTP port range " + portFirst + "-" + portLast
                    + " must lie within 1024-65535 and hold at least one pair");
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("RTP DSCP " + dscp + " is outside 0..63");
        }
        if (jitterMinMs < 0 || jitterMaxMs < jitterMinMs || jitterMaxMs > 1000) {
            throw new IllegalArgumentException("jitter buffer bounds " + jitterMinMs + ".." + jitterMaxMs
                    + " ms must satisfy 0 <= min <= max <= 1000");
        }
        if (agents < 0 || agents > 256) {
            throw new IllegalArgumentException("media agents " + agents + " is outside 0..256 (0 = per core)");
        }
        if (rtpTimeoutMs < 0) {
            throw new IllegalArgumentException("RTP timeout " + rtpTimeoutMs + " ms is negative");
        }
    }

    /**
     * From the validated {@code [rtp]} section; the media bind address is the SIP listen host, the
     * agent count {@code media_agents} (0 = one per core). The INI has no RTP timeout: 30 s.
     */
    public static MediaConfig from(RtpConfig rtp, InetAddress bindAddress) {
        return new MediaConfig(bindAddress, rtp.ports().first(), rtp.ports().last(), rtp.dscp(),
                rtp.jitterMinMs(), rtp.jitterMaxMs(), rtp.mediaAgents(), 30_000);
    }

    /** Defaults: 40..200 ms jitter, DSCP EF, one agent per core, 30 s RTP timeout. */
    public static MediaConfig defaults(InetAddress bindAddress, int portFirst, int portLast) {
        return new MediaConfig(bindAddress, portFirst, portLast, 46, 40, 200, 0, 30_000);
    }

    /** Agent count with 0 resolved to the number of cores. */
    public int resolvedAgents() {
        return agents > 0 ? agents : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
