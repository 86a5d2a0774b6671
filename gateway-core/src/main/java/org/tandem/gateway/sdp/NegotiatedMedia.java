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
 */
public record NegotiatedMedia(G711 codec, int payloadType, int telephoneEventPt, int sendPtimeMs,
        String remoteAddress, int remotePort, Direction direction) {

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
