package org.tandem.gateway.sdp;

/**
 * What this gateway will accept and offer for one call's audio.
 *
 * @param preferredLaw the law of the span the call uses: choosing it avoids transcoding
 * @param allowOtherLaw accept the other G.711 law when the peer does not offer the preferred one
 *                      (costs an A-law <-> mu-law conversion per sample)
 * @param telephoneEvent offer/accept RFC 4733 telephone-event for DTMF
 * @param telephoneEventPt the dynamic payload type we use for telephone-event in our offers (96..127)
 * @param ptimeMs the packetisation we want to receive, in ms (a=ptime)
 * @param localAddress the address our RTP socket listens on (c= line)
 * @param localRtpPort the RTP port allocated for this call
 * @param srtp SRTP for this call ({@link SrtpPolicy#NONE}: plain RTP only)
 */
public record MediaPolicy(G711 preferredLaw, boolean allowOtherLaw, boolean telephoneEvent,
        int telephoneEventPt, int ptimeMs, String localAddress, int localRtpPort, SrtpPolicy srtp) {

    /** Plain RTP only. */
    public MediaPolicy(G711 preferredLaw, boolean allowOtherLaw, boolean telephoneEvent,
            int telephoneEventPt, int ptimeMs, String localAddress, int localRtpPort) {
        this(preferredLaw, allowOtherLaw, telephoneEvent, telephoneEventPt, ptimeMs, localAddress, localRtpPort,
                SrtpPolicy.NONE);
    }

    public MediaPolicy {
        srtp = srtp == null ? SrtpPolicy.NONE : srtp;
        if (telephoneEventPt < 96 || telephoneEventPt > 127) {
            throw new IllegalArgumentException("telephone-event payload type " + telephoneEventPt
                    + " is not dynamic (96..127)");
        }
        if (ptimeMs < 10 || ptimeMs > 60 || ptimeMs % 10 != 0) {
            throw new IllegalArgumentException("ptime " + ptimeMs + " ms: use 10, 20, 30, 40, 50 or 60");
        }
        if (localRtpPort <= 0 || localRtpPort > 65535) {
            throw new IllegalArgumentException("RTP port " + localRtpPort + " is out of range");
        }
    }

    public MediaPolicy withLocalPort(int port) {
        return new MediaPolicy(preferredLaw, allowOtherLaw, telephoneEvent, telephoneEventPt, ptimeMs,
                localAddress, port, srtp);
    }

    public MediaPolicy withSrtp(SrtpPolicy newSrtp) {
        return new MediaPolicy(preferredLaw, allowOtherLaw, telephoneEvent, telephoneEventPt, ptimeMs,
                localAddress, localRtpPort, newSrtp);
    }
}
