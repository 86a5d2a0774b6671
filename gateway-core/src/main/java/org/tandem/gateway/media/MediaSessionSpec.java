package org.tandem.gateway.media;

import java.net.InetSocketAddress;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.gateway.sdp.SrtpKeys;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmLaw;

/**
 * Everything an agent needs to carry one call's audio, as negotiated by call control.
 *
 * @param callId            for logs and events
 * @param channel           the B-channel; the agent reads and writes it, the span still owns it
 * @param tdmLaw            law the B-channel carries (ALAW on E1, MULAW on T1)
 * @param ports             bound RTP/RTCP sockets from {@link MediaProxy#allocatePorts()};
 *                          ownership passes to the agent at attach
 * @param remoteRtp         RTP address from the SDP (RTCP is port + 1); replaced by the packets'
 *                          source once they arrive (symmetric RTP)
 * @param payloadType       0 (PCMU) or 8 (PCMA)
 * @param telephoneEventPt  dynamic payload type of telephone-event (RFC 4733), or -1 if not
 *                          negotiated (DTMF then stays in-band)
 * @param ptimeMs           10, 20 or 30
 * @param direction         from the SDP
 * @param srtp              the SRTP suite and keys (RFC 3711, SDES), or null for plain RTP
 */
public record MediaSessionSpec(String callId, BChannel channel, TdmLaw tdmLaw, RtpPorts ports,
                               InetSocketAddress remoteRtp, int payloadType, int telephoneEventPt,
                               int ptimeMs, MediaDirection direction, SrtpKeys srtp) {
    public static final int PT_PCMU = 0;
    public static final int PT_PCMA = 8;

    /** Plain RTP. */
    public MediaSessionSpec(String callId, BChannel channel, TdmLaw tdmLaw, RtpPorts ports,
                            InetSocketAddress remoteRtp, int payloadType, int telephoneEventPt,
                            int ptimeMs, MediaDirection direction) {
        this(callId, channel, tdmLaw, ports, remoteRtp, payloadType, telephoneEventPt, ptimeMs, direction, null);
    }

    public MediaSessionSpec {
        if (channel == null || ports == null || remoteRtp == null || direction == null || callId == null) {
            throw new IllegalArgumentException("media session for call " + callId
                    + " needs a channel, ports, a remote address and a direction");
        }
        if (tdmLaw != TdmLaw.ALAW && tdmLaw != TdmLaw.MULAW) {
            throw new IllegalArgumentException("call " + callId + ": B-channel law must be ALAW or MULAW, not " + tdmLaw);
        }
        if (payloadType != PT_PCMU && payloadType != PT_PCMA) {
            throw new IllegalArgumentException("call " + callId + ": payload type " + payloadType
                    + " is not G.711 (0 PCMU or 8 PCMA)");
        }
        if (telephoneEventPt != -1 && (telephoneEventPt < 96 || telephoneEventPt > 127)) {
            throw new IllegalArgumentException("call " + callId + ": telephone-event payload type "
                    + telephoneEventPt + " is not dynamic (96..127)");
        }
        if (ptimeMs != 10 && ptimeMs != 20 && ptimeMs != 30) {
            throw new IllegalArgumentException("call " + callId + ": ptime " + ptimeMs + " ms is not 10, 20 or 30");
        }
    }

    /** Law of the RTP payload. */
    public TdmLaw rtpLaw() {
        return payloadType == PT_PCMA ? TdmLaw.ALAW : TdmLaw.MULAW;
    }
}
