package org.tandem.gateway.media;

/**
 * Immutable per-call media statistics, for CDRs and SNMP. Taken on the agent thread
 * ({@link MediaHandle#stats()}, and at detach as the final figures).
 *
 * @param packetsSent        RTP packets sent (audio and telephone-event)
 * @param octetsSent         RTP payload octets sent (RFC 3550 sender's octet count)
 * @param packetsReceived    valid RTP packets received from the locked source
 * @param octetsReceived     their payload octets
 * @param packetsLost        cumulative lost (RFC 3550 A.3; negative if duplicates exceed losses)
 * @param jitterMs           interarrival jitter (RFC 3550 A.8) in ms
 * @param rttMs              last round-trip time from RTCP, -1 if none yet
 * @param remoteFractionLost fraction lost the peer reported about our stream (0..1), -1 if none
 * @param remoteJitterMs     jitter the peer reported about our stream, -1 if none
 * @param latePackets        arrived after their playout time
 * @param duplicatePackets   duplicates suppressed
 * @param concealedFrames    10 ms frames filled by packet loss concealment
 * @param driftAdjustments   10 ms slots dropped or inserted to hold the playout delay
 * @param playoutDelayMs     current jitter buffer delay
 * @param notOurs            packets dropped: wrong SSRC, unknown payload type, malformed
 * @param rtcpGarbage        RTCP datagrams that failed validation
 * @param dtmfToRtp          digits detected on the span and sent as RFC 4733 events
 * @param dtmfFromRtp        RFC 4733 digits received and played to the span
 * @param tdmUnderruns       span write underruns / read overruns reported by the driver
 * @param srtpSuite          the SRTP suite in force (RFC 4568 name), or null for plain RTP
 * @param srtpAuthenticated  SRTP and SRTCP packets received whose tag verified
 * @param srtpFailed         received packets SRTP dropped: bad tag, replayed, malformed
 */
public record MediaStats(long packetsSent, long octetsSent, long packetsReceived, long octetsReceived,
                         long packetsLost, double jitterMs, double rttMs, double remoteFractionLost,
                         double remoteJitterMs, long latePackets, long duplicatePackets,
                         long concealedFrames, long driftAdjustments, int playoutDelayMs,
                         long notOurs, long rtcpGarbage, int dtmfToRtp, int dtmfFromRtp,
                         long tdmUnderruns, String srtpSuite, long srtpAuthenticated, long srtpFailed) {

    /** Plain RTP figures. */
    public MediaStats(long packetsSent, long octetsSent, long packetsReceived, long octetsReceived,
                      long packetsLost, double jitterMs, double rttMs, double remoteFractionLost,
                      double remoteJitterMs, long latePackets, long duplicatePackets,
                      long concealedFrames, long driftAdjustments, int playoutDelayMs,
                      long notOurs, long rtcpGarbage, int dtmfToRtp, int dtmfFromRtp, long tdmUnderruns) {
        this(packetsSent, octetsSent, packetsReceived, octetsReceived, packetsLost, jitterMs, rttMs,
                remoteFractionLost, remoteJitterMs, latePackets, duplicatePackets, concealedFrames, driftAdjustments,
                playoutDelayMs, notOurs, rtcpGarbage, dtmfToRtp, dtmfFromRtp, tdmUnderruns, null, 0, 0);
    }
}
