package org.tandem.gateway.sdp;

import java.util.List;

/**
 * A parsed or built SDP body (RFC 4566), limited to what a G.711 gateway reads and writes.
 *
 * @param originUser o= username
 * @param sessionId o= sess-id
 * @param sessionVersion o= sess-version
 * @param originAddress o= unicast-address
 * @param connectionAddress session-level c= address, or null
 * @param direction session-level direction attribute, or null
 */
public record SessionDescription(String originUser, long sessionId, long sessionVersion,
        String originAddress, String sessionName, String connectionAddress, Direction direction,
        List<MediaDescription> media) {

    public SessionDescription {
        media = List.copyOf(media);
    }

    /** The connection address in force for this m= line (media level overrides session level). */
    public String connectionFor(MediaDescription m) {
        return m.connectionAddress() != null ? m.connectionAddress() : connectionAddress;
    }

    /** The direction in force for this m= line; sendrecv when neither level says (RFC 3264 5.1). */
    public Direction directionFor(MediaDescription m) {
        if (m.direction() != null) {
            return m.direction();
        }
        return direction != null ? direction : Direction.SENDRECV;
    }

    /** The SDP text (CRLF line ends). */
    public String encode() {
        return SdpCodec.encode(this);
    }

    public static SessionDescription parse(String text) throws SdpParseException {
        return SdpCodec.parse(text);
    }
}
