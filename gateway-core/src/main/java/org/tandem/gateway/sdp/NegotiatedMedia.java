package org.tandem.gateway.sdp;

import java.util.Objects;

/**
 * The outcome of one offer/answer exchange, as the media layer needs it.
 *
 * @param codec the G.711 law both sides use on the wire
 * @param payloadType the payload type number for it (the static one for G.711)
 * @param telephoneEventPt the agreed telephone-event payload type, or -1 if none
 * @param sendPtimeMs packetisation to send with (the peer's a=ptime, else 20)
 * @param remoteAddress where to send RTP
 * @param remotePort where to send RTP
 * @param direction our direction: sends() false means the peer put us on hold
 * @param srtp the agreed SRTP suite and keys, or null for plain RTP
 */
public record NegotiatedMedia(G711 codec, int payloadType, int telephoneEventPt, int sendPtimeMs,
        String remoteAddress, int remotePort, Direction direction, SrtpKeys srtp) {

    /** Plain RTP. */
    public NegotiatedMedia(G711 codec, int payloadType, int telephoneEventPt, int sendPtimeMs,
            String remoteAddress, int remotePort, Direction direction) {
        this(codec, payloadType, telephoneEventPt, sendPtimeMs, remoteAddress, remotePort, direction, null);
    }

    /** True when the media must be re-keyed (or SRTP started or stopped) after {@code previous}. */
    public boolean srtpChangedFrom(NegotiatedMedia previous) {
        if (previous == null) {
            return srtp != null;
        }
        return srtp == null ? previous.srtp != null : !srtp.sameAs(previous.srtp);
    }

    /** True when the peer does not want our audio (hold, RFC 3264 section 8.4). */
    public boolean isHeld() {
        return !direction.sends();
    }

    /** True when RTP must now go to a different address or port than before. */
    public boolean remoteChangedFrom(NegotiatedMedia previous) {
        return previous == null || !Objects.equals(remoteAddress, previous.remoteAddress)
                || remotePort != previous.remotePort;
    }
}
